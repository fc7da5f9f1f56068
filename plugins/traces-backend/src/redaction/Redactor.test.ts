import { ConfigReader } from '@backstage/config';
import { MASKED_VALUE } from '@backstage-traces/plugin-traces-common';
import { Redactor } from './Redactor';

const redactor = Redactor.fromConfig(new ConfigReader({}));

describe('Redactor', () => {
  it.each([
    'http.request.header.authorization',
    'http.request.header.cookie',
    'http.response.header.set-cookie',
    'app.api_key',
    'x-api-key',
    'apiKey',
    'auth.token',
    'db.password',
    'client_secret',
    'aws.credentials',
    'PASSWD',
  ])('masks %s', key => {
    expect(redactor.redactAttributes({ [key]: 'hunter2' })).toEqual({
      attributes: { [key]: MASKED_VALUE },
      redactedKeys: [key],
    });
  });

  it('leaves ordinary attributes and numeric counts alone, without copying', () => {
    const attributes = {
      'http.route': '/orders/{id}',
      'http.response.status_code': 500,
      'gen_ai.usage.input_tokens': 120,
      'url.full': 'https://shop.example.com/orders/42?page=2',
    };
    const result = redactor.redactAttributes(attributes);
    expect(result.attributes).toBe(attributes);
    expect(result.redactedKeys).toEqual([]);
  });

  it('masks credentials in URL query strings but keeps the rest of the URL', () => {
    const result = redactor.redactAttributes({
      'url.full':
        'https://api.example.com/v1/items?access_token=abc123&page=2&sig=zz#top',
      'http.url':
        'https://s3.example.com/b/o?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=f00',
      'url.query': 'api_key=k&q=shoes',
      'http.target': '/login?password=p&user=bob',
    });
    expect(result.attributes).toEqual({
      'url.full': `https://api.example.com/v1/items?access_token=${MASKED_VALUE}&page=2&sig=${MASKED_VALUE}#top`,
      'http.url': `https://s3.example.com/b/o?X-Amz-Credential=${MASKED_VALUE}&X-Amz-Signature=${MASKED_VALUE}`,
      'url.query': `api_key=${MASKED_VALUE}&q=shoes`,
      'http.target': `/login?password=${MASKED_VALUE}&user=bob`,
    });
    expect(result.redactedKeys).toHaveLength(4);
  });

  it('masks passwords in URL userinfo, also in attributes not listed as URLs', () => {
    const result = redactor.redactAttributes({
      'db.connection_string':
        'postgres://app:s3cret@db:5432/shop?sslmode=require',
      'messaging.url': 'amqp://guest@rabbit:5672/',
    });
    expect(result.attributes['db.connection_string']).toBe(
      `postgres://app:${MASKED_VALUE}@db:5432/shop?sslmode=require`,
    );
    expect(result.attributes['messaging.url']).toBe(
      'amqp://guest@rabbit:5672/',
    );
  });

  it('masks inside nested maps', () => {
    const result = redactor.redactAttributes({
      'http.request.headers': { accept: 'json', authorization: 'Bearer x' },
    });
    expect(result.attributes['http.request.headers']).toEqual({
      accept: 'json',
      authorization: MASKED_VALUE,
    });
  });

  it('is configurable: replacing, extending or disabling the list', () => {
    const custom = Redactor.fromConfig(
      new ConfigReader({
        traces: {
          redaction: { keys: ['^user\\.email$'], additionalKeys: ['ssn'] },
        },
      }),
    );
    expect(
      custom.redactAttributes({
        'user.email': 'a@b',
        'user.ssn': '1',
        token: 't',
      }).attributes,
    ).toEqual({
      'user.email': MASKED_VALUE,
      'user.ssn': MASKED_VALUE,
      token: 't',
    });

    const off = Redactor.fromConfig(
      new ConfigReader({ traces: { redaction: { enabled: false } } }),
    );
    expect(off.enabled).toBe(false);
    expect(off.redactAttributes({ authorization: 'x' }).attributes).toEqual({
      authorization: 'x',
    });
  });

  it.each([
    [
      'GET /login?password=hunter2&user=bob',
      'GET /login?password=[masked]&user=bob',
    ],
    [
      'https://x.example/cb?code=c0de&state=s',
      'https://x.example/cb?code=[masked]&state=s',
    ],
    ['redis://:hunter2@cache:6379/0', 'redis://:[masked]@cache:6379/0'],
    [
      'dial postgres://app:hunter2@db:5432/shop: refused',
      'dial postgres://app:[masked]@db:5432/shop: refused',
    ],
    [
      "CREATE USER app WITH PASSWORD 'hunter2'",
      "CREATE USER app WITH PASSWORD '[masked]'",
    ],
    [
      "ALTER USER 'app'@'%' IDENTIFIED BY 'hunter 2'",
      "ALTER USER 'app'@'%' IDENTIFIED BY '[masked]'",
    ],
    [
      'GRANT ALL TO app IDENTIFIED BY hunter2;',
      'GRANT ALL TO app IDENTIFIED BY [masked];',
    ],
    [
      'IOException: 401 for Authorization: Bearer abc.DEF-123\n\tat a.B.c(B.java:1)',
      'IOException: 401 for Authorization: [masked]\n\tat a.B.c(B.java:1)',
    ],
    ['proxy said Basic dXNlcjpwdw==', 'proxy said Basic [masked]'],
    ['error: password=hunter2 rejected', 'error: password=[masked] rejected'],
    [
      '{"client_secret": "two words", "n": 1}',
      '{"client_secret": "[masked]", "n": 1}',
    ],
    ['Cookie: theme=dark; session=abc', 'Cookie: [masked]'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'jwt [masked]'],
    ['key AKIAIOSFODNN7EXAMPLE', 'key [masked]'],
    [
      '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----',
      '[masked]',
    ],
  ])('masks the secret inside %j', (text, expected) => {
    expect(redactor.redactText(text)).toBe(expected);
    expect(redactor.redactValue('message', text)).toBe(expected);
  });

  it.each([
    'Basic authentication failed',
    'exit code 137',
    'GET /orders/42?page=2',
    'amqp://guest@rabbit:5672/',
    'SELECT * FROM users WHERE id = $1',
    'tokens used: 120',
  ])('leaves %j alone', text => {
    expect(redactor.redactText(text)).toBe(text);
  });

  it('masks query parameters in URL attributes and lists the key', () => {
    expect(
      redactor.redactAttributes({ 'http.target': '/cb?code=abc', n: 1 }),
    ).toEqual({
      attributes: { 'http.target': `/cb?code=${MASKED_VALUE}`, n: 1 },
      redactedKeys: ['http.target'],
    });
  });

  it('takes text rules and extra patterns from the configuration', () => {
    const custom = Redactor.fromConfig(
      new ConfigReader({
        traces: {
          redaction: {
            textRules: ['url-userinfo'],
            textPatterns: [
              'ssn (\\d{3}-\\d{2}-\\d{4})',
              'internal-[0-9a-f]{8}',
            ],
          },
        },
      }),
    );
    expect(custom.redactText('ssn 123-45-6789 internal-deadbeef')).toBe(
      'ssn [masked] [masked]',
    );
    expect(custom.redactText('https://u:p@h/?token=t')).toBe(
      'https://u:[masked]@h/?token=t',
    );
    expect(() =>
      Redactor.fromConfig(
        new ConfigReader({ traces: { redaction: { textRules: ['nope'] } } }),
      ),
    ).toThrow(/unknown rule 'nope'/);
  });

  it('rejects invalid patterns at startup', () => {
    expect(() =>
      Redactor.fromConfig(
        new ConfigReader({ traces: { redaction: { additionalKeys: ['('] } } }),
      ),
    ).toThrow(/not a valid regular expression/);
  });
});
