import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse } from 'msw';

/** Real Tempo 2.7.2 responses, byte for byte; see __fixtures__/tempo/README.md. */
const DIR = join(__dirname, '..', '__fixtures__', 'tempo');

export function fixtureText(name: string): string {
  return readFileSync(join(DIR, name), 'utf8');
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name));
}

/**
 * The fixture as an msw response: `.json` files are 200 application/json bodies,
 * `.txt` files hold the status code on the first line and the exact body after it.
 */
export function fixtureResponse(name: string): Response {
  const text = fixtureText(name);
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
