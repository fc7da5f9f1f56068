import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { readMaxResponseBytes } from '../config';

/** Field names (dot paths) of the log documents. */
export interface OpenSearchLogFields {
  traceId: string;
  spanId: string;
  timestamp: string;
  message: string;
  severity: string;
  /** Undefined when the documents carry only a severity text (`fields.severityNumber: false`). */
  severityNumber?: string;
  service: string;
}

export type OpenSearchAuth =
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'aws';
      region: string;
      service: 'es' | 'aoss';
      /** Static credentials from config; absent means environment or the AWS SDK chain. */
      credentials?: {
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken?: string;
      };
    };

export interface OpenSearchOptions {
  /** Without user info or trailing slash; safe to show. */
  baseUrl: string;
  index: string;
  auth?: OpenSearchAuth;
  tls: { rejectUnauthorized: boolean; ca?: string };
  timeoutMs: number;
  /** Added around a trace's time window when a request gives no range. */
  timeMarginMs: number;
  /** Largest page a request may ask for. */
  maxResults: number;
  /** Answers over this many bytes are refused (`traces.limits.maxResponseSizeMb`). */
  maxResponseBytes: number;
  /** Appended to the fields matched exactly (`term`, `terms`), e.g. `.keyword`. */
  keywordSuffix: string;
  fields: OpenSearchLogFields;
}

/** ss4o (OpenTelemetry Collector OpenSearch exporter), OTel logs data model. */
export const DEFAULT_LOG_FIELDS: Required<OpenSearchLogFields> = {
  traceId: 'traceId',
  spanId: 'spanId',
  timestamp: '@timestamp',
  message: 'body',
  severity: 'severity.text',
  severityNumber: 'severity.number',
  service: 'resource.service.name',
};

export const DEFAULT_LOG_INDEX = 'ss4o_logs-*,otel-v1-logs*,logs-*';

const KEY = 'traces.opensearch';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MARGIN_MS = 5 * 60_000;
const DEFAULT_MAX_RESULTS = 500;

/** Reads `traces.opensearch`; undefined while `baseUrl` is unset (logs are optional). */
export function readOpenSearchOptions(
  root: Config,
): OpenSearchOptions | undefined {
  const config = root.getOptionalConfig(KEY);
  // An unset OPENSEARCH_URL drops the key; an empty string means the same.
  const configured = config?.getOptional('baseUrl');
  if (!config || configured === undefined || configured === '')
    return undefined;
  if (typeof configured !== 'string') {
    throw new Error(`${KEY}.baseUrl must be an http(s) URL`);
  }
  const rawUrl = configured.trim();

  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Error(`${KEY}.baseUrl must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${KEY}.baseUrl must be an http(s) URL`);
  }
  // Credentials in the URL would end up in error messages and logs; move them to auth.
  const urlUser = decodeURIComponent(url.username);
  const urlPassword = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';

  const index = config.getOptionalString('index')?.trim() || DEFAULT_LOG_INDEX;
  if (/[\s/]/.test(index)) {
    throw new Error(
      `${KEY}.index must be index names or patterns separated by commas, got '${index}'`,
    );
  }

  const maxResults =
    config.getOptionalNumber('maxResults') ?? DEFAULT_MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10_000) {
    // 10,000 is OpenSearch's default index.max_result_window.
    throw new Error(
      `${KEY}.maxResults must be a whole number from 1 to 10000, got ${maxResults}`,
    );
  }

  return {
    baseUrl: url.toString().replace(/\/+$/, ''),
    index,
    auth: readAuth(config, urlUser, urlPassword),
    tls: {
      rejectUnauthorized:
        config.getOptionalBoolean('tls.rejectUnauthorized') ?? true,
      ca: config.getOptionalString('tls.ca')?.trim() || undefined,
    },
    timeoutMs: readDuration(config, 'timeout', DEFAULT_TIMEOUT_MS),
    timeMarginMs: readDuration(config, 'timeMargin', DEFAULT_MARGIN_MS, true),
    maxResults,
    maxResponseBytes: readMaxResponseBytes(root.getOptionalConfig('traces')),
    keywordSuffix: readKeywordSuffix(config),
    fields: readFields(config),
  };
}

function readAuth(
  config: Config,
  urlUser: string,
  urlPassword: string,
): OpenSearchAuth | undefined {
  const auth = config.getOptionalConfig('auth');
  const aws = auth?.getOptionalConfig('aws');
  const username =
    auth?.getOptionalString('username') ?? (urlUser || undefined);
  const password = auth?.getOptionalString('password') ?? urlPassword;

  if (aws && username) {
    throw new Error(
      `${KEY}.auth: configure either username/password or aws (SigV4), not both`,
    );
  }
  if (username) return { type: 'basic', username, password };
  if (!aws) return undefined;

  const region = aws.getString('region').trim();
  const service = aws.getOptionalString('service') ?? 'es';
  if (service !== 'es' && service !== 'aoss') {
    throw new Error(
      `${KEY}.auth.aws.service must be 'es' (managed domains) or 'aoss' (Serverless), got '${service}'`,
    );
  }
  const accessKeyId = aws.getOptionalString('accessKeyId');
  const secretAccessKey = aws.getOptionalString('secretAccessKey');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new Error(
      `${KEY}.auth.aws: set both accessKeyId and secretAccessKey, or neither to use the environment`,
    );
  }
  return {
    type: 'aws',
    region,
    service,
    ...(accessKeyId &&
      secretAccessKey && {
        credentials: {
          accessKeyId,
          secretAccessKey,
          sessionToken: aws.getOptionalString('sessionToken') || undefined,
        },
      }),
  };
}

function readFields(config: Config): OpenSearchLogFields {
  const fields = config.getOptionalConfig('fields');
  const field = (
    name: Exclude<keyof OpenSearchLogFields, 'severityNumber'>,
  ) => {
    const value = fields?.getOptionalString(name)?.trim();
    if (value === undefined) return DEFAULT_LOG_FIELDS[name];
    if (!value) throw new Error(`${KEY}.fields.${name} must not be empty`);
    return value;
  };

  let severityNumber: string | undefined = DEFAULT_LOG_FIELDS.severityNumber;
  const rawNumber = fields?.getOptional('severityNumber');
  if (rawNumber === false) {
    severityNumber = undefined;
  } else if (typeof rawNumber === 'string' && rawNumber.trim()) {
    severityNumber = rawNumber.trim();
  } else if (rawNumber !== undefined) {
    throw new Error(
      `${KEY}.fields.severityNumber must be a field name, or false when the logs have no severity number`,
    );
  }

  return {
    traceId: field('traceId'),
    spanId: field('spanId'),
    timestamp: field('timestamp'),
    message: field('message'),
    severity: field('severity'),
    severityNumber,
    service: field('service'),
  };
}

function readKeywordSuffix(config: Config): string {
  const suffix = config.getOptionalString('keywordSuffix')?.trim() ?? '';
  if (suffix && !/^\.[\w.-]+$/.test(suffix)) {
    throw new Error(
      `${KEY}.keywordSuffix must look like '.keyword' (a sub-field name with its dot), got '${suffix}'`,
    );
  }
  return suffix;
}

/** A HumanDuration object, or the compact '30s' / '500ms' / '5m' / '1h' form. */
function readDuration(
  config: Config,
  key: string,
  fallback: number,
  allowZero = false,
): number {
  if (!config.has(key)) return fallback;
  const value = config.getOptional(key);
  let ms: number;
  if (typeof value === 'string') {
    const match = /^(\d+)(ms|s|m|h)$/.exec(value.trim());
    if (!match) {
      throw new Error(
        `${KEY}.${key} must look like '30s', '500ms', '5m' or '1h', got '${value}'`,
      );
    }
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
      match[2] as 'ms' | 's' | 'm' | 'h'
    ];
    ms = Number(match[1]) * unit;
  } else {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  }
  if (ms < 0 || (!allowZero && ms === 0)) {
    throw new Error(
      `${KEY}.${key} must be ${allowZero ? 'zero or more' : 'positive'}`,
    );
  }
  return ms;
}
