import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_LOG_FIELDS,
  DEFAULT_LOG_INDEX,
  readOpenSearchOptions,
} from './config';

const read = (opensearch: object) =>
  readOpenSearchOptions(new ConfigReader({ traces: { opensearch } }));

describe('readOpenSearchOptions', () => {
  it('is undefined while baseUrl is unset or empty', () => {
    expect(readOpenSearchOptions(new ConfigReader({}))).toBeUndefined();
    expect(
      readOpenSearchOptions(new ConfigReader({ traces: {} })),
    ).toBeUndefined();
    expect(read({ index: 'logs-*' })).toBeUndefined();
    expect(read({ baseUrl: '' })).toBeUndefined();
  });

  it('reads defaults that fit the OpenTelemetry Collector exporter (ss4o)', () => {
    expect(read({ baseUrl: 'https://opensearch:9200/' })).toEqual({
      baseUrl: 'https://opensearch:9200',
      index: 'ss4o_logs-*,otel-v1-logs*,logs-*',
      auth: undefined,
      tls: { rejectUnauthorized: true, ca: undefined },
      timeoutMs: 30_000,
      timeMarginMs: 300_000,
      maxResults: 500,
      maxResponseBytes: 32 * 1024 * 1024,
      keywordSuffix: '',
      fields: {
        traceId: 'traceId',
        spanId: 'spanId',
        timestamp: '@timestamp',
        message: 'body',
        severity: 'severity.text',
        severityNumber: 'severity.number',
        service: 'resource.service.name',
      },
    });
    expect(DEFAULT_LOG_INDEX).toBe('ss4o_logs-*,otel-v1-logs*,logs-*');
  });

  it('reads a Data Prepper setup with overrides', () => {
    const options = read({
      baseUrl: 'https://search.internal/opensearch',
      index: 'logs-otel-v1-*',
      timeout: '10s',
      timeMargin: { seconds: 30 },
      maxResults: 200,
      tls: {
        rejectUnauthorized: false,
        ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      },
      fields: {
        timestamp: 'time',
        severity: 'severityText',
        severityNumber: 'severityNumber',
        service: 'serviceName',
      },
    })!;
    expect(options.baseUrl).toBe('https://search.internal/opensearch');
    expect(options.index).toBe('logs-otel-v1-*');
    expect(options.timeoutMs).toBe(10_000);
    expect(options.timeMarginMs).toBe(30_000);
    expect(options.maxResults).toBe(200);
    expect(options.tls).toEqual({
      rejectUnauthorized: false,
      ca: expect.stringContaining('MIIB'),
    });
    expect(options.fields).toEqual({
      ...DEFAULT_LOG_FIELDS,
      timestamp: 'time',
      severity: 'severityText',
      severityNumber: 'severityNumber',
      service: 'serviceName',
    });
  });

  it('reads app-style fields with a keyword suffix and no severity number', () => {
    const options = read({
      baseUrl: 'http://opensearch:9200',
      keywordSuffix: '.keyword',
      fields: {
        traceId: 'trace_id',
        spanId: 'span_id',
        message: 'message',
        severity: 'level',
        severityNumber: false,
        service: 'service',
      },
    })!;
    expect(options.keywordSuffix).toBe('.keyword');
    expect(options.fields.traceId).toBe('trace_id');
    expect(options.fields.severityNumber).toBeUndefined();
  });

  it('moves URL user info into basic auth', () => {
    const options = read({ baseUrl: 'https://reader:p%40ss@opensearch:9200' })!;
    expect(options.baseUrl).toBe('https://opensearch:9200');
    expect(options.auth).toEqual({
      type: 'basic',
      username: 'reader',
      password: 'p@ss',
    });
    expect(JSON.stringify(options.baseUrl)).not.toContain('p@ss');
  });

  it('reads basic auth and AWS SigV4 auth', () => {
    expect(
      read({
        baseUrl: 'https://os:9200',
        auth: { username: 'u', password: 'pw' },
      })!.auth,
    ).toEqual({ type: 'basic', username: 'u', password: 'pw' });
    expect(
      read({
        baseUrl: 'https://os.eu-west-1.es.amazonaws.com',
        auth: { aws: { region: 'eu-west-1' } },
      })!.auth,
    ).toEqual({ type: 'aws', region: 'eu-west-1', service: 'es' });
    expect(
      read({
        baseUrl: 'https://abc.eu-west-1.aoss.amazonaws.com',
        auth: {
          aws: {
            region: 'eu-west-1',
            service: 'aoss',
            accessKeyId: 'AKIDEXAMPLE',
            secretAccessKey: 'wJalrXUtnFEMI',
            sessionToken: 'tok',
          },
        },
      })!.auth,
    ).toEqual({
      type: 'aws',
      region: 'eu-west-1',
      service: 'aoss',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI',
        sessionToken: 'tok',
      },
    });
  });

  it.each([
    [{ baseUrl: 'opensearch:9200' }, /baseUrl must be an http\(s\) URL/],
    [{ baseUrl: 'ftp://opensearch' }, /baseUrl must be an http\(s\) URL/],
    [{ baseUrl: 'http://os', index: 'logs /x' }, /index must be index names/],
    [
      { baseUrl: 'http://os', maxResults: 0 },
      /maxResults must be a whole number from 1 to 10000/,
    ],
    [
      { baseUrl: 'http://os', maxResults: 20000 },
      /maxResults must be a whole number from 1 to 10000/,
    ],
    [{ baseUrl: 'http://os', timeout: 'soon' }, /timeout must look like '30s'/],
    [
      { baseUrl: 'http://os', keywordSuffix: 'keyword' },
      /keywordSuffix must look like '.keyword'/,
    ],
    [
      { baseUrl: 'http://os', fields: { severityNumber: true } },
      /severityNumber must be a field name, or false/,
    ],
    [
      { baseUrl: 'http://os', fields: { traceId: ' ' } },
      /fields.traceId must not be empty/,
    ],
    [
      {
        baseUrl: 'http://os',
        auth: { username: 'u', password: 'p', aws: { region: 'eu-west-1' } },
      },
      /either username\/password or aws/,
    ],
    [
      {
        baseUrl: 'http://os',
        auth: { aws: { region: 'eu-west-1', service: 'lambda' } },
      },
      /must be 'es'.*or 'aoss'/,
    ],
    [
      {
        baseUrl: 'http://os',
        auth: { aws: { region: 'eu-west-1', accessKeyId: 'AKID' } },
      },
      /set both accessKeyId and secretAccessKey/,
    ],
  ])('rejects %j', (config, message) => {
    expect(() => read(config)).toThrow(message);
  });

  it('accepts a zero margin but not a zero timeout', () => {
    expect(read({ baseUrl: 'http://os', timeMargin: '0s' })!.timeMarginMs).toBe(
      0,
    );
    expect(() => read({ baseUrl: 'http://os', timeout: '0s' })).toThrow(
      /timeout must be positive/,
    );
  });
});
