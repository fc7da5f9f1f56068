import { ConfigReader } from '@backstage/config';
import {
  decodeCompactTrace,
  encodeCompactTrace,
} from '@backstage-traces/plugin-traces-common';
import fc from 'fast-check';
import { encodeTraceByIdResponse } from '../__testUtils__/tempoProto';
import { traceOfTempoJson as normalizeTraceResponse } from '../__testUtils__/compactTraces';
import { protobufToCompact } from '../tempo/protobufToCompact';
import { buildTraceTree } from '../traces/window/TraceTree';
import {
  selectInitialWindow,
  selectSubtreeWindow,
} from '../traces/window/selectWindow';
import { sliceCompactTrace } from '../traces/window/sliceCompactTrace';
import { redactCompactTrace } from './redactCompactTrace';
import { Redactor } from './Redactor';

/*
 * For random traces with secrets in random sensitive attribute keys and inside free text
 * (span names, status messages, event names, URLs, SQL, exception messages, nested maps and
 * arrays), no secret may occur anywhere in what the browser gets: the plain JSON trace, the
 * compact encoding (string table included) and windows cut from it.
 */

const redactor = Redactor.fromConfig(new ConfigReader({}));
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const BASE = 1_795_549_350_524_064_365n;

/** A secret: distinctive (`Zk9…`), so that it cannot occur in the answer by chance. */
const SECRET = /Zk9[A-Za-z0-9]+/g;
const secret = fc
  .stringMatching(/^[A-Za-z0-9]{6,14}$/)
  .map(tail => `Zk9${tail}`);

const sensitiveKey = fc.constantFrom(
  'http.request.header.authorization',
  'http.request.header.proxy-authorization',
  'http.request.header.cookie',
  'http.response.header.set-cookie',
  'http.request.header.x-auth-token',
  'session.id',
  'app.api_key',
  'oauth.access_token',
  'db.password',
  'aws.secret_access_key',
  'aws.access_key_id',
  'client_secret',
  'Authorization',
);

/** Free text with a secret inside, in the shapes the default rules know. */
const secretText = fc
  .tuple(
    secret,
    fc.constantFrom(
      (s: string) => `GET /login?password=${s}&user=bob`,
      (s: string) => `https://shop.example.com/cb?code=${s}&state=x`,
      (s: string) => `/v1/items?access_token=${s}`,
      (s: string) => `api_key=${s}&q=shoes`,
      (s: string) => `postgres://app:${s}@db:5432/shop?sslmode=require`,
      (s: string) => `connect to amqp://guest:${s}@rabbit:5672/ failed`,
      (s: string) => `CREATE USER app WITH PASSWORD '${s}'`,
      (s: string) => `ALTER USER 'app'@'%' IDENTIFIED BY '${s}'`,
      (s: string) => `GRANT ALL ON *.* TO app IDENTIFIED BY ${s}`,
      (s: string) =>
        `java.io.IOException: 401 for Authorization: Bearer ${s}\n\tat a.B.c(B.java:12)`,
      (s: string) => `upstream rejected Basic ${s}==`,
      (s: string) => `{"client_secret": "${s} tail", "ok": true}`,
      (s: string) => `login failed: password=${s}`,
      (s: string) => `Cookie: theme=dark; session=${s}`,
      (s: string) => `token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${s}.sig${s}`,
    ),
    fc.string({ maxLength: 8 }),
  )
  .map(([s, shape, noise]) => ({
    secret: s,
    text: `${noise.replace(/[^ a-z]/g, '')} ${shape(s)}`,
  }));

type WireValue = Record<string, unknown>;

/** An attribute, possibly carrying a secret. */
const attribute = fc.oneof(
  fc
    .record({ key: sensitiveKey, s: secret, wrap: fc.nat(3) })
    .map(({ key, s, wrap }) => {
      const values: WireValue[] = [
        { stringValue: s },
        { stringValue: `Bearer ${s}` },
        { arrayValue: { values: [{ stringValue: s }] } },
        {
          kvlistValue: {
            values: [{ key: 'inner', value: { stringValue: s } }],
          },
        },
      ];
      return { key, value: values[wrap] };
    }),
  fc
    .record({
      key: fc.constantFrom(
        'url.full',
        'http.target',
        'db.statement',
        'exception.message',
        'exception.stacktrace',
        'message',
        'app.note',
      ),
      text: secretText,
      nested: fc.boolean(),
    })
    .map(({ key, text, nested }) => {
      return {
        key,
        value: nested
          ? {
              kvlistValue: {
                values: [{ key: 'detail', value: { stringValue: text.text } }],
              },
            }
          : { stringValue: text.text },
      };
    }),
  fc
    .record({ key: fc.constantFrom('http.route', 'app.n'), n: fc.nat() })
    .map(({ key, n }) => ({ key, value: { stringValue: `/r/${n}` } })),
);

/** Random text for a name or message: plain or with a secret inside. */
const text = fc.oneof(
  fc.constantFrom('GET /orders', 'SELECT orders', 'process'),
  secretText.map(t => t.text),
);

const id = (n: number, bytes: number) =>
  Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex').toString(
    'base64',
  );

/** Tempo's v2 trace-by-ID JSON with random resources, spans, events and links. */
const wireTrace = (() => {
  const attributes = fc.array(attribute, { maxLength: 4 });
  const span = fc.record({
    name: text,
    message: fc.option(text, { nil: undefined }),
    parent: fc.nat(),
    attributes,
    events: fc.array(fc.record({ name: text, attributes }), {
      maxLength: 2,
    }),
    links: fc.array(attributes, { maxLength: 1 }),
  });
  return fc
    .record({
      resources: fc.array(
        fc.record({
          attributes,
          spans: fc.array(span, { minLength: 1, maxLength: 6 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(({ resources }) => {
      let next = 1;
      const body = {
        trace: {
          resourceSpans: resources.map((resource, r) => ({
            resource: {
              attributes: [
                { key: 'service.name', value: { stringValue: `svc-${r}` } },
                ...resource.attributes,
              ],
            },
            scopeSpans: [
              {
                spans: resource.spans.map(s => {
                  const n = next++;
                  const start = BASE + BigInt(n * 1000);
                  return {
                    traceId: Buffer.from(TRACE_ID, 'hex').toString('base64'),
                    spanId: id(n, 8),
                    ...(n > 1 && {
                      parentSpanId: id(1 + (s.parent % (n - 1)), 8),
                    }),
                    name: s.name,
                    kind: 'SPAN_KIND_SERVER',
                    startTimeUnixNano: start.toString(),
                    endTimeUnixNano: (start + 500n).toString(),
                    attributes: s.attributes,
                    events: s.events.map(e => ({
                      timeUnixNano: (start + 10n).toString(),
                      name: e.name,
                      attributes: e.attributes,
                    })),
                    links: s.links.map(attrs => ({
                      traceId: Buffer.from(TRACE_ID, 'hex').toString('base64'),
                      spanId: id(1, 8),
                      attributes: attrs,
                    })),
                    status: s.message
                      ? { code: 'STATUS_CODE_ERROR', message: s.message }
                      : {},
                  };
                }),
              },
            ],
          })),
        },
      };
      // Every secret planted anywhere in the trace.
      const secrets = [...new Set(JSON.stringify(body).match(SECRET) ?? [])];
      return { body, secrets };
    });
})();

function leaked(serialized: string, secrets: string[]): string[] {
  return secrets.filter(s => serialized.includes(s));
}

describe('no masked value reaches an answer', () => {
  it('holds for the compact encoding, the plain JSON trace and windows', () => {
    fc.assert(
      fc.property(wireTrace, ({ body, secrets }) => {
        const viaProtobuf = protobufToCompact(
          encodeTraceByIdResponse(body),
          TRACE_ID,
          redactor,
        )!;
        const normalized = normalizeTraceResponse(
          TRACE_ID,
          JSON.parse(JSON.stringify(body)),
        )!;
        const viaJson = redactCompactTrace(
          encodeCompactTrace(normalized),
          redactor,
        );
        const tree = buildTraceTree(viaProtobuf);
        const answers = {
          compact: JSON.stringify(viaProtobuf),
          compactViaJson: JSON.stringify(viaJson),
          json: JSON.stringify(decodeCompactTrace(viaProtobuf)),
          window: JSON.stringify(
            sliceCompactTrace(
              viaProtobuf,
              tree,
              selectInitialWindow(tree, 3, -1),
              3,
            ),
          ),
          subtree: JSON.stringify(
            sliceCompactTrace(
              viaProtobuf,
              tree,
              selectSubtreeWindow(tree, 0, 0, 50),
              50,
            ),
          ),
        };
        for (const [name, serialized] of Object.entries(answers)) {
          expect({ name, leaked: leaked(serialized, secrets) }).toEqual({
            name,
            leaked: [],
          });
        }
        // Masked values say so.
        expect(
          secrets.length === 0 || answers.compact.includes('[masked]'),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
