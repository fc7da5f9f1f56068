import { ResponseError } from '@backstage/errors';
import { errorMessage, errorStatus } from './errors';

async function responseError(status: number, body: unknown) {
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    }) as any,
  );
}

describe('errorMessage', () => {
  it('prefers the message of the backend error body', async () => {
    const error = await responseError(504, {
      error: { name: 'Error', message: 'Tempo timed out after 30s' },
      response: { statusCode: 504 },
    });
    expect(errorMessage(error)).toBe('Tempo timed out after 30s');
    expect(errorStatus(error)).toBe(504);
  });

  it('falls back to the message of plain errors and to strings', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('nope')).toBe('nope');
    expect(errorStatus(new Error('boom'))).toBeUndefined();
  });
});
