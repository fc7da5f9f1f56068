import { InputError } from '@backstage/errors';
import type { LogOrder } from '@backstage-traces/plugin-traces-common';
import { z } from 'zod';

/**
 * One value of a hit's `sort` array, as the client parsed it. `date_nanos` sort values
 * (epoch nanoseconds, ~1.8e18) exceed Number.MAX_SAFE_INTEGER and arrive as BigInt.
 */
export type SortValue = string | number | boolean | null | bigint;

/** What a cursor continues: the same query, window and order, after the last hit's sort. */
export interface LogCursor {
  traceId: string;
  spanId?: string;
  order: LogOrder;
  /** The searched window, epoch milliseconds; later pages reuse it as is. */
  start: number;
  end: number;
  /** The previous page's last `sort` array, exactly as OpenSearch sent it. */
  searchAfter: SortValue[];
}

const VERSION = 1;

/** BigInt travels as its decimal digits, tagged, so nothing is ever rounded through a double. */
const wireValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.object({ n: z.string().regex(/^-?\d{1,20}$/) }).strict(),
]);

const wireCursor = z
  .object({
    v: z.literal(VERSION),
    t: z.string().regex(/^[0-9a-f]{32}$/),
    s: z
      .string()
      .regex(/^[0-9a-f]{16}$/)
      .optional(),
    o: z.enum(['asc', 'desc']),
    w: z.tuple([
      z.number().int().nonnegative(),
      z.number().int().nonnegative(),
    ]),
    a: z.array(wireValue).min(1).max(8),
  })
  .strict();

/** An opaque, URL-safe token; only this module reads or writes its contents. */
export function encodeLogCursor(cursor: LogCursor): string {
  const wire: z.infer<typeof wireCursor> = {
    v: VERSION,
    t: cursor.traceId,
    ...(cursor.spanId && { s: cursor.spanId }),
    o: cursor.order,
    w: [cursor.start, cursor.end],
    a: cursor.searchAfter.map(value =>
      typeof value === 'bigint' ? { n: value.toString() } : value,
    ),
  };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

/** Throws a 400 for anything this module did not write. */
export function decodeLogCursor(token: string): LogCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const result = wireCursor.safeParse(parsed);
  if (!result.success) throw invalidCursor();
  const wire = result.data;
  if (wire.w[0] >= wire.w[1]) throw invalidCursor();
  return {
    traceId: wire.t,
    ...(wire.s && { spanId: wire.s }),
    order: wire.o,
    start: wire.w[0],
    end: wire.w[1],
    searchAfter: wire.a.map(value =>
      value !== null && typeof value === 'object' ? BigInt(value.n) : value,
    ),
  };
}

function invalidCursor() {
  return new InputError(
    "Invalid 'cursor': pass the nextCursor of a previous answer unchanged",
  );
}
