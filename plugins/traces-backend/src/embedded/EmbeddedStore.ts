import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { LogBatch } from './ingest/logRows';
import type { SpanBatch } from './ingest/spanRows';
import type { OtlpSink } from './receiver/createOtlpReceiver';
import { readTraceProtobuf } from './read/traceProtobuf';
import { pruneStore, type RetentionLimits } from './storage/prune';
import { writeLogBatch, writeSpanBatch } from './storage/writeBatches';
import type { EmbeddedStoreOptions } from './config';

/**
 * Spans and logs received over OTLP, kept in the plugin's database. Writes and reads go
 * through here; the OTLP receiver, the trace/log store interfaces and retention use it.
 */
export class EmbeddedStore implements OtlpSink {
  readonly db: Knex;
  private readonly logger: LoggerService;

  constructor(db: Knex, logger: LoggerService) {
    this.db = db;
    this.logger = logger;
  }

  writeSpans(batch: SpanBatch): Promise<void> {
    return writeSpanBatch(this.db, batch);
  }

  writeLogs(batch: LogBatch): Promise<void> {
    return writeLogBatch(this.db, batch);
  }

  /** The trace as Tempo's `TraceByIDResponse` protobuf, or undefined when unknown. */
  traceProtobuf(traceId: string): Promise<Buffer | undefined> {
    return readTraceProtobuf(this.db, traceId);
  }

  async prune(limits: RetentionLimits, nowMs = Date.now()) {
    const result = await pruneStore(this.db, limits, nowMs);
    if (result.traces || result.logs) {
      this.logger.info(
        `Embedded trace store: retention deleted ${result.traces} traces and ${result.logs} log records`,
      );
    }
    return result;
  }

  /** Runs retention on the scheduler (one backend instance at a time). */
  async scheduleRetention(
    scheduler: SchedulerService,
    retention: EmbeddedStoreOptions['retention'],
  ) {
    await scheduler.scheduleTask({
      id: 'traces-embedded-store-retention',
      frequency: retention.frequency,
      timeout: { minutes: 10 },
      initialDelay: { seconds: 30 },
      fn: async () => {
        await this.prune(retention);
      },
    });
  }
}
