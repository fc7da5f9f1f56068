import { decodeLogCursor, encodeLogCursor, type LogCursor } from './cursor';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('log cursors', () => {
  const cursor: LogCursor = {
    traceId: TRACE,
    spanId: '00f067aa0ba902b7',
    order: 'asc',
    start: 1795549050524,
    end: 1795549650645,
    // A date_nanos sort value beyond Number.MAX_SAFE_INTEGER, then the _id tiebreaker.
    searchAfter: [BigInt('1795549350524064365'), 'ZH9lkpYBxk1Bj3uB0iBd'],
  };

  it('round-trips nanosecond sort values exactly', () => {
    const token = encodeLogCursor(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = decodeLogCursor(token);
    expect(decoded).toEqual(cursor);
    expect(decoded.searchAfter[0]).toBe(BigInt('1795549350524064365'));
    // The double nearest to it is a different value; nothing passed through a Number.
    expect(Number(decoded.searchAfter[0])).toBe(1795549350524064300);
    expect(String(decoded.searchAfter[0])).toBe('1795549350524064365');
  });

  it('keeps plain numbers, strings, booleans and nulls as they were', () => {
    const mixed = {
      ...cursor,
      spanId: undefined,
      order: 'desc' as const,
      searchAfter: [1795549350524, 0.5, 'x', true, null],
    };
    const decoded = decodeLogCursor(encodeLogCursor(mixed));
    expect(decoded.searchAfter).toEqual([1795549350524, 0.5, 'x', true, null]);
    expect(decoded.spanId).toBeUndefined();
    expect(decoded.order).toBe('desc');
  });

  it.each([
    ['not base64', 'abc$%'],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    [
      'another shape',
      Buffer.from(JSON.stringify({ after: [1] })).toString('base64url'),
    ],
    [
      'a forged BigInt',
      Buffer.from(
        JSON.stringify({
          v: 1,
          t: TRACE,
          o: 'asc',
          w: [1, 2],
          a: [{ n: '1e3' }],
        }),
      ).toString('base64url'),
    ],
    [
      'an empty window',
      Buffer.from(
        JSON.stringify({ v: 1, t: TRACE, o: 'asc', w: [2, 2], a: [1] }),
      ).toString('base64url'),
    ],
  ])('rejects %s with a 400', (_, token) => {
    expect(() => decodeLogCursor(token)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/Invalid 'cursor'/),
      }),
    );
  });
});
