import type { Config } from '@backstage/config';
import type {
  Attributes,
  AttributeValue,
  CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import type { TracesRedactor } from '@backstage-traces/plugin-traces-node';
import {
  MASKED_VALUE,
  setAttribute,
} from '@backstage-traces/plugin-traces-common';
import {
  DEFAULT_TEXT_RULES,
  patternRule,
  TEXT_RULES,
  type TextRule,
  type TextRuleContext,
} from './textRules';
import { redactCompactTraceAsync } from './redactCompactTrace';

/** Attribute keys whose values are secrets (matched anywhere in the key, any case). */
export const DEFAULT_SENSITIVE_KEYS = [
  'authorization',
  'cookie', // also set-cookie
  'api[-_.]?key',
  'access[-_.]?key',
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
  'sid',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
];

/**
 * Attributes and intrinsics holding free text (URLs, statements, messages): TraceQL may compare
 * them for equality, but not match them with regular expressions or order them, which could
 * test a masked part character by character.
 */
export const DEFAULT_TEXT_FIELDS = [
  'name',
  'statusMessage',
  'rootName',
  'http.url',
  'url.full',
  'url.query',
  'url.original',
  'url.path',
  'http.target',
  'db.statement',
  'db.query.text',
  'db.connection_string',
  'exception.message',
  'exception.stacktrace',
  'message',
  'log.message',
];

/** Text without any of these cannot match a built-in text rule (see textRules.ts). */
const MAYBE_SECRET =
  /[:=@]|-----BEGIN|eyJ|AKIA|ASIA|bearer|basic|digest|token|negotiate|apikey|password|identified/i;

export interface RedactionResult {
  attributes: Attributes;
  /** Keys whose values were fully or partly masked. */
  redactedKeys: string[];
}

export interface RedactorOptions {
  keys: string[];
  queryParameters: string[];
  /** Names of TEXT_RULES to apply to every string value. */
  textRules: string[];
  /** Extra patterns for free text (see `patternRule`). */
  textPatterns?: string[];
  textFields?: string[];
}

/**
 * The one place that decides what is a secret. Values of sensitive keys are replaced by
 * `[masked]`; every other string value (attributes, span names, messages, log lines, tag
 * values, series labels) goes through the free-text rules, which mask only the secret inside
 * it. Everything the backend answers passes through here before it is encoded or cached.
 */
export class Redactor implements TracesRedactor, TextRuleContext {
  private readonly keyPattern?: RegExp;
  private readonly parameterPattern?: RegExp;
  private readonly builtInRules: TextRule[];
  private readonly patternRules: TextRule[];
  private readonly textFields: Set<string>;

  static fromConfig(root: Config): Redactor {
    const config = root.getOptionalConfig('traces.redaction');
    if (config?.getOptionalBoolean('enabled') === false) return Redactor.off();
    const textRules =
      config?.getOptionalStringArray('textRules') ?? DEFAULT_TEXT_RULES;
    const unknown = textRules.filter(rule => !(rule in TEXT_RULES));
    if (unknown.length) {
      throw new Error(
        `traces.redaction.textRules: unknown rule '${
          unknown[0]
        }'; known: ${DEFAULT_TEXT_RULES.join(', ')}`,
      );
    }
    return new Redactor({
      keys: [
        ...(config?.getOptionalStringArray('keys') ?? DEFAULT_SENSITIVE_KEYS),
        ...(config?.getOptionalStringArray('additionalKeys') ?? []),
      ],
      queryParameters:
        config?.getOptionalStringArray('queryParameters') ??
        DEFAULT_SENSITIVE_QUERY_PARAMETERS,
      textRules,
      textPatterns: config?.getOptionalStringArray('textPatterns'),
      textFields: [
        ...DEFAULT_TEXT_FIELDS,
        ...(config?.getOptionalStringArray('textFields') ?? []),
      ],
    });
  }

  static off(): Redactor {
    return new Redactor({ keys: [], queryParameters: [], textRules: [] });
  }

  constructor(options: RedactorOptions) {
    const { keys, queryParameters } = options;
    for (const source of [
      ...keys,
      ...queryParameters,
      ...(options.textPatterns ?? []),
    ]) {
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
    this.builtInRules = options.textRules.map(name => TEXT_RULES[name]);
    this.patternRules = (options.textPatterns ?? []).map(patternRule);
    this.textFields = new Set(options.textFields ?? []);
  }

  get enabled(): boolean {
    return (
      this.keyPattern !== undefined ||
      this.builtInRules.length > 0 ||
      this.patternRules.length > 0
    );
  }

  isSensitiveKey(key: string): boolean {
    return this.keyPattern?.test(key) ?? false;
  }

  isSensitiveParameter(name: string): boolean {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return this.parameterPattern?.test(decoded) ?? false;
  }

  /** A free-text attribute or intrinsic (see DEFAULT_TEXT_FIELDS), by its unscoped name. */
  isTextField(name: string): boolean {
    return this.textFields.has(name);
  }

  /** Free text with the secrets inside it masked; the same string when there are none. */
  redactText(text: string): string {
    let result = text;
    // Most values (IDs, routes, names) hold none of what the built-in rules look for.
    if (MAYBE_SECRET.test(text)) {
      for (const rule of this.builtInRules) result = rule(result, this);
    }
    for (const rule of this.patternRules) result = rule(result, this);
    return result;
  }

  /** See `redactCompactSteps`: the one pass every trace takes before it is cached. */
  redactCompactTrace(compact: CompactTrace): Promise<CompactTrace> {
    return redactCompactTraceAsync(compact, this);
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

  /** The value as it may leave the backend; the same value when nothing was masked. */
  redactValue(key: string, value: AttributeValue): AttributeValue {
    if (value === null) return value;
    // Secrets are text; numbers and booleans under such keys are counts and flags (input_tokens).
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    if (this.isSensitiveKey(key)) return MASKED_VALUE;
    if (typeof value === 'string') return this.redactText(value);
    if (Array.isArray(value)) {
      let changed = false;
      const items = value.map(item => {
        const masked = this.redactValue(key, item);
        changed ||= masked !== item;
        return masked;
      });
      return changed ? items : value;
    }
    const nested = this.redactAttributes(value);
    return nested.redactedKeys.length ? nested.attributes : value;
  }
}
