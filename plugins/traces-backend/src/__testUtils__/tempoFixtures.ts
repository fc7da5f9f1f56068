import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse } from 'msw';

/**
 * Real upstream responses, byte for byte: Tempo 2.7.2 (__fixtures__/tempo/README.md) and
 * Prometheus (__fixtures__/prometheus/README.md).
 */
const DIR = join(__dirname, '..', '__fixtures__');

type Upstream = 'tempo' | 'prometheus';

export function fixtureText(
  name: string,
  upstream: Upstream = 'tempo',
): string {
  return readFileSync(join(DIR, upstream, name), 'utf8');
}

export function fixtureJson<T = any>(
  name: string,
  upstream: Upstream = 'tempo',
): T {
  return JSON.parse(fixtureText(name, upstream));
}

/**
 * The fixture as an msw response: `.json` files are 200 application/json bodies,
 * `.txt` files hold the status code on the first line and the exact body after it.
 */
export function fixtureResponse(
  name: string,
  upstream: Upstream = 'tempo',
): Response {
  const text = fixtureText(name, upstream);
  if (name.endsWith('.json')) {
    return new HttpResponse(text, {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }
  const newline = text.indexOf('\n');
  const status = Number(text.slice(0, newline === -1 ? undefined : newline));
  const body = newline === -1 ? '' : text.slice(newline + 1);
  const isJson = body.startsWith('{');
  return new HttpResponse(body === '' ? null : body, {
    status,
    headers:
      body === ''
        ? {}
        : {
            'Content-Type': isJson
              ? 'application/json'
              : 'text/plain; charset=utf-8',
          },
  });
}
