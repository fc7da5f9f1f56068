/**
 * One trace whose spans carry 27 kinds of secrets (headers, cookies, tokens, API keys, OAuth
 * codes and userinfo in URLs, passwords in SQL and connection strings, AWS keys, client
 * secrets, secrets in event and link attributes, span names, status and exception
 * messages). Every secret contains `SECRET`, so an answer leaks when that text occurs in it.
 * Used by the route tests (as Tempo's JSON) and by the real-Tempo check (sent as OTLP).
 */
export const SECRET_MARK = 'SECRET';

type Value = { stringValue: string } | { intValue: string };
interface KeyValue {
  key: string;
  value: Value;
}

const str = (key: string, stringValue: string): KeyValue => ({
  key,
  value: { stringValue },
});

export interface SecretTraceSpan {
  id: string;
  parent?: string;
  service: string;
  name: string;
  kind: 'SERVER' | 'CLIENT' | 'INTERNAL';
  attributes: KeyValue[];
  status?: { code: 'STATUS_CODE_ERROR'; message: string };
  events?: Array<{ name: string; attributes: KeyValue[] }>;
  links?: Array<{ traceId: string; spanId: string; attributes: KeyValue[] }>;
}

/** The secrets, one per kind, each as it is planted. */
export const SECRETS = {
  authorization: 'Bearer SECRET-01-bearer',
  proxyAuthorization: 'Basic SECRET-02-proxy',
  cookie: 'session=SECRET-03-cookie; theme=dark',
  setCookie: 'sid=SECRET-04-setcookie; HttpOnly',
  authToken: 'SECRET-05-xauthtoken',
  sessionId: 'SECRET-06-sessionid',
  refreshToken: 'SECRET-07-refreshtoken',
  apiKey: 'SECRET-08-apikey',
  oauthCodeUrl:
    'https://shop.example.com/callback?code=SECRET-09-oauthcode&state=xyz',
  userinfoUrl: 'https://alice:SECRET-10-userinfo@api.example.com/v1/orders',
  urlQuery: 'access_token=SECRET-11-urlquery&page=2',
  sqlPassword: "CREATE USER app WITH PASSWORD 'SECRET-12-sqlpassword'",
  sqlIdentified: "ALTER USER 'app'@'%' IDENTIFIED BY 'SECRET-13-identified'",
  connectionString: 'postgres://app:SECRET-14-connstring@db:5432/shop',
  awsSecret: 'SECRET-15-awssecretaccesskey',
  awsAccessKeyId: 'AKIASECRET16AWSKEYID',
  clientSecret: 'SECRET-17-clientsecret',
  eventToken: 'SECRET-18-eventtoken',
  linkApiKey: 'SECRET-19-linkapikey',
  spanName: 'GET /login?password=SECRET-20-spanname',
  statusMessage:
    'upstream answered 401 for Authorization: Bearer SECRET-21-status',
  exceptionMessage:
    'cannot connect to postgres://svc:SECRET-22-exception@db:5432/x',
  stackTrace:
    'java.lang.IllegalStateException: 401 Bearer SECRET-23-stacktrace\n\tat shop.Api.call(Api.java:42)',
  httpTarget: '/oauth/token?client_secret=SECRET-24-httptarget&grant_type=x',
  resourcePassword: 'SECRET-25-resourcepassword',
  dbPassword: 'SECRET-26-dbpassword',
  jwtInMessage:
    'issued token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTRUNSRVQtMjcifQ.SECRET27jwtsignature',
} as const;

export const SECRET_TRACE_ID = '5ec12e7a5ec12e7a5ec12e7a5ec12e7a';

/** The spans: a frontend request into orders-api, with the secrets spread over them. */
export function secretTraceSpans(service = 'orders-api'): SecretTraceSpan[] {
  return [
    {
      id: '5ec0000000000001',
      service: 'frontend',
      name: SECRETS.spanName,
      kind: 'SERVER',
      attributes: [
        str('http.request.header.authorization', SECRETS.authorization),
        str(
          'http.request.header.proxy-authorization',
          SECRETS.proxyAuthorization,
        ),
        str('http.request.header.cookie', SECRETS.cookie),
        str('http.response.header.set-cookie', SECRETS.setCookie),
        str('http.request.header.x-auth-token', SECRETS.authToken),
        str('session.id', SECRETS.sessionId),
        str('url.full', SECRETS.oauthCodeUrl),
        str('url.query', SECRETS.urlQuery),
        str('http.target', SECRETS.httpTarget),
        str('http.route', '/login'),
      ],
    },
    {
      id: '5ec0000000000002',
      parent: '5ec0000000000001',
      service,
      name: 'POST /api/orders',
      kind: 'SERVER',
      attributes: [
        str('oauth.refresh_token', SECRETS.refreshToken),
        str('app.api_key', SECRETS.apiKey),
        str('http.url', SECRETS.userinfoUrl),
        str('oauth.client_secret', SECRETS.clientSecret),
        str('aws.secret_access_key', SECRETS.awsSecret),
        str('aws.access_key_id', SECRETS.awsAccessKeyId),
        str('message', SECRETS.jwtInMessage),
      ],
      status: { code: 'STATUS_CODE_ERROR', message: SECRETS.statusMessage },
      events: [
        {
          name: 'exception',
          attributes: [
            str('exception.type', 'java.lang.IllegalStateException'),
            str('exception.message', SECRETS.exceptionMessage),
            str('exception.stacktrace', SECRETS.stackTrace),
          ],
        },
        { name: 'auth', attributes: [str('auth.token', SECRETS.eventToken)] },
      ],
      links: [
        {
          traceId: SECRET_TRACE_ID,
          spanId: '5ec0000000000001',
          attributes: [str('link.api_key', SECRETS.linkApiKey)],
        },
      ],
    },
    {
      id: '5ec0000000000003',
      parent: '5ec0000000000002',
      service,
      name: 'INSERT shop.users',
      kind: 'CLIENT',
      attributes: [
        str('db.system', 'postgresql'),
        str('db.statement', SECRETS.sqlPassword),
        str('db.query.text', SECRETS.sqlIdentified),
        str('db.connection_string', SECRETS.connectionString),
        str('db.password', SECRETS.dbPassword),
      ],
    },
  ];
}

/** Resource attributes of a service (one carries a password). */
function resourceAttributes(service: string): KeyValue[] {
  return [
    str('service.name', service),
    ...(service === 'frontend'
      ? []
      : [str('k8s.pod.env.DB_PASSWORD', SECRETS.resourcePassword)]),
  ];
}

const BASE_NANOS = 1_795_549_350_524_064_365n;

/**
 * The trace as OTLP JSON (`ids: 'hex'`, for an OTLP/HTTP receiver) or as Tempo's v2 trace
 * JSON (`ids: 'base64'`, what Tempo answers). `startNanos` sets the first span's start.
 */
export function secretTrace(
  ids: 'hex' | 'base64',
  options: { traceId?: string; service?: string; startNanos?: bigint } = {},
) {
  const traceId = options.traceId ?? SECRET_TRACE_ID;
  const id = (hex: string) =>
    ids === 'hex' ? hex : Buffer.from(hex, 'hex').toString('base64');
  const start = options.startNanos ?? BASE_NANOS;
  const spans = secretTraceSpans(options.service);
  const services = [...new Set(spans.map(span => span.service))];
  return {
    resourceSpans: services.map(service => ({
      resource: { attributes: resourceAttributes(service) },
      scopeSpans: [
        {
          scope: { name: 'secret-test' },
          spans: spans
            .filter(span => span.service === service)
            .map((span, i) => {
              const spanStart = start + BigInt(i) * 1_000_000n;
              return {
                traceId: id(traceId),
                spanId: id(span.id),
                ...(span.parent && { parentSpanId: id(span.parent) }),
                name: span.name,
                kind: `SPAN_KIND_${span.kind}`,
                startTimeUnixNano: spanStart.toString(),
                endTimeUnixNano: (spanStart + 50_000_000n).toString(),
                attributes: span.attributes,
                events: (span.events ?? []).map(event => ({
                  timeUnixNano: (spanStart + 1_000_000n).toString(),
                  name: event.name,
                  attributes: event.attributes,
                })),
                links: (span.links ?? []).map(link => ({
                  traceId: id(link.traceId),
                  spanId: id(link.spanId),
                  attributes: link.attributes,
                })),
                status: span.status ?? {},
              };
            }),
        },
      ],
    })),
  };
}

/** The distinct secret strings found in an answer. */
export function leakedSecrets(answer: string): string[] {
  return [...new Set(answer.match(/[A-Za-z0-9]*SECRET[A-Za-z0-9-]*/g) ?? [])];
}
