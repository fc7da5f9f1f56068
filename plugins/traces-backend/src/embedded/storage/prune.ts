import type { Knex } from 'knex';

export interface RetentionLimits {
  maxAgeMs: number;
  maxSpans: number;
  maxLogRecords: number;
}

export interface PruneResult {
  traces: number;
  logs: number;
}

/** Traces deleted per statement: keeps each transaction (and SQLite's write lock) short. */
const CHUNK = 500;

/**
 * Deletes whole traces, never parts of one: those whose last span ended before the age
 * limit, then the oldest ones while more spans than `maxSpans` are stored. Logs go by age
 * and then oldest first over `maxLogRecords`.
 */
export async function pruneStore(
  db: Knex,
  limits: RetentionLimits,
  nowMs = Date.now(),
): Promise<PruneResult> {
  const cutoffNs = BigInt(Math.floor(nowMs - limits.maxAgeMs)) * 1_000_000n;
  let traces = 0;

  for (;;) {
    const expired: Array<{ trace_id: string }> = await db('traces')
      .where('end_ns', '<', cutoffNs.toString())
      .select('trace_id')
      .limit(CHUNK);
    if (expired.length === 0) break;
    traces += await deleteTraces(
      db,
      expired.map(t => t.trace_id),
    );
  }

  let excess = (await storedSpans(db)) - limits.maxSpans;
  while (excess > 0) {
    const oldest: Array<{ trace_id: string; span_count: number | string }> =
      await db('traces')
        .orderBy('start_ns', 'asc')
        .select('trace_id', 'span_count')
        .limit(CHUNK);
    if (oldest.length === 0) break;
    const doomed: string[] = [];
    for (const trace of oldest) {
      if (excess <= 0) break;
      doomed.push(trace.trace_id);
      excess -= Number(trace.span_count);
    }
    traces += await deleteTraces(db, doomed);
  }

  let logs = Number(
    await db('logs').where('time_ns', '<', cutoffNs.toString()).delete(),
  );
  const [{ count }] = await db('logs').count({ count: '*' });
  const overLogs = Number(count) - limits.maxLogRecords;
  if (overLogs > 0) {
    const [last] = await db('logs')
      .orderBy('id', 'asc')
      .offset(overLogs - 1)
      .limit(1)
      .select('id');
    if (last)
      logs += Number(await db('logs').where('id', '<=', last.id).delete());
  }
  return { traces, logs };
}

async function storedSpans(db: Knex): Promise<number> {
  const [{ total }] = await db('traces').sum({ total: 'span_count' });
  return Number(total ?? 0);
}

async function deleteTraces(db: Knex, traceIds: string[]): Promise<number> {
  if (traceIds.length === 0) return 0;
  await db.transaction(async trx => {
    await trx('spans').whereIn('trace_id', traceIds).delete();
    await trx('traces').whereIn('trace_id', traceIds).delete();
  });
  return traceIds.length;
}
