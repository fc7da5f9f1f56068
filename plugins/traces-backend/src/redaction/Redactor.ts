import type { Config } from '@backstage/config';
import type {
  Attributes,
  AttributeValue,
} from '@backstage-traces/plugin-traces-common';
import { MASKED_VALUE, setAttribute } from '@backstage-traces/plugin-traces-common';

/** Attribute keys whose values are secrets (matched anywhere in the key, any case). */
export const DEFAULT_SENSITIVE_KEYS = [
  'authorization',
  'cookie', // also set-cookie
  'api[-_.]?key',
  'token',
  'passw(or)?d',
  'pwd',
  'secret',
  'credential',
  'private[-_.]?key',
  'session[-_.]?id',
];

/** Query parameters masked inside URLs, on top of the sensitive keys. */
export const DEFAULT_SENSITIVE_QUERY_PARAMETERS = [
  'sig',
  'signature',
  'code',
  'key',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
];

/** Attributes holding URLs or query strings, whose secrets hide in parameters. */
export const DEFAULT_URL_ATTRIBUTES = [
  'http.url',
  'url.full',
  'url.query',
  'http.target',
  'url.original',
];

export interface RedactionResult {
  attributes: Attributes;
  /** Keys whose values were fully or partly masked. */
  redactedKeys: string[];
}

/**
 * Masks secrets before anything leaves the backend: span, resource, event and link
 * attributes and log fields. A masked value reads `[masked]`; URLs keep their shape with
 * only the sensitive parameters (and any userinfo password) masked.
 */
export class Redactor {
  private readonly keyPattern?: RegExp;
  private readonly parameterPattern?: RegExp;
  private readonly urlAttributes: Set<string>;

  static fromConfig(root: Config): Redactor {
    const config = root.getOptionalConfig('traces.redaction');
    if (config?.getOptionalBoolean('enabled') === false)
      return new Redactor([], [], []);
    const keys = [
      ...(config?.getOptionalStringArray('keys') ?? DEFAULT_SENSITIVE_KEYS),
      ...(config?.getOptionalStringArray('additionalKeys') ?? []),
    ];
    const parameters = [
      ...(config?.getOptionalStringArray('queryParameters') ??
        DEFAULT_SENSITIVE_QUERY_PARAMETERS),
    ];
    const urlAttributes =
      config?.getOptionalStringArray('urlAttributes') ?? DEFAULT_URL_ATTRIBUTES;
    return new Redactor(keys, parameters, urlAttributes);
  }

  constructor(
    keys: string[],
    queryParameters: string[],
    urlAttributes: string[],
  ) {
    for (const source of [...keys, ...queryParameters]) {
      try {
        RegExp(source);
      } catch {
        throw new Error(
          `traces.redaction: '${source}' is not a valid regular expression`,
        );
      }
    }
    this.keyPattern = keys.length ? new RegExp(keys.join('|'), 'i') : undefined;
    // Parameter names match whole, but any sensitive key pattern inside one also counts.
    const parameterSources = [...queryParameters.map(p => `^(${p})$`), ...keys];
    this.parameterPattern = parameterSources.length
      ? new RegExp(parameterSources.join('|'), 'i')
      : undefined;
    this.urlAttributes = new Set(urlAttributes);
  }

  get enabled(): boolean {
    return this.keyPattern !== undefined || this.parameterPattern !== undefined;
  }

  isSensitiveKey(key: string): boolean {
    return this.keyPattern?.test(key) ?? false;
  }

  /** Returns the same object when nothing was masked, so clean spans cost no copies. */
  redactAttributes(attributes: Attributes): RedactionResult {
    let result: Attributes | undefined;
    const redactedKeys: string[] = [];
    for (const [key, value] of Object.entries(attributes)) {
      const masked = this.redactValue(key, value);
      if (masked !== value) {
        result ??= { ...attributes };
        setAttribute(result, key, masked);
        redactedKeys.push(key);
      }
    }
    return { attributes: result ?? attributes, redactedKeys };
  }

  redactValue(key: string, value: AttributeValue): AttributeValue {
    if (value === null) return value;
    // Secrets are text; numbers and booleans under such keys are counts and flags (input_tokens).
    if (this.isSensitiveKey(key)) {
      return typeof value === 'number' || typeof value === 'boolean'
        ? value
        : MASKED_VALUE;
    }
    if (
      typeof value === 'string' &&
      (this.isUrlAttribute(key) || looksLikeUrl(value))
    ) {
      return this.redactUrl(value);
    }
    if (typeof value === 'object' && !Array.isArray(value)) {
      const nested = this.redactAttributes(value);
      return nested.redactedKeys.length ? nested.attributes : value;
    }
    return value;
  }

  /** Attributes whose string values are URLs or query strings by convention. */
  isUrlAttribute(key: string): boolean {
    return this.urlAttributes.has(key);
  }

  /** Masks sensitive query parameter values and userinfo passwords; keeps everything else. */
  redactUrl(text: string): string {
    let changed = false;
    let result = text.replace(
      /(^|[?&;])([^=&;#?]+)=([^&;#]*)/g,
      (match, separator: string, name: string, value: string) => {
        if (
          !value ||
          value === MASKED_VALUE ||
          !this.isSensitiveParameter(name)
        ) {
          return match;
        }
        changed = true;
        return `${separator}${name}=${MASKED_VALUE}`;
      },
    );
    result = result.replace(
      /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@:]*):([^/?#@]*)@/i,
      (match, scheme: string, user: string, password: string) => {
        if (!password) return match;
        changed = true;
        return `${scheme}${user}:${MASKED_VALUE}@`;
      },
    );
    return changed ? result : text;
  }

  private isSensitiveParameter(name: string): boolean {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return this.parameterPattern?.test(decoded) ?? false;
  }
}

/** A URL with a query or userinfo, wherever it appears. */
export function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(value) && /[?@]/.test(value);
}
