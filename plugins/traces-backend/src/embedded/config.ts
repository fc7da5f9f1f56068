import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import { readDurationFromConfig, type Config } from '@backstage/config';

export interface EmbeddedStoreOptions {
  ingest: {
    allowLoopback: boolean;
    token?: string;
    maxRequestBytes: number;
  };
  retention: {
    maxAgeMs: number;
    maxSpans: number;
    maxLogRecords: number;
    frequency: HumanDuration;
  };
}

/** `traces.embedded.*`; see config.d.ts. */
export function readEmbeddedStoreOptions(root: Config): EmbeddedStoreOptions {
  const config = root.getOptionalConfig('traces.embedded');
  const ingest = config?.getOptionalConfig('ingest');
  const retention = config?.getOptionalConfig('retention');
  const duration = (key: string, fallback: HumanDuration): HumanDuration =>
    retention?.has(key) ? readDurationFromConfig(retention, { key }) : fallback;
  const positive = (
    section: Config | undefined,
    key: string,
    fallback: number,
  ) => {
    const value = section?.getOptionalNumber(key) ?? fallback;
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new Error(
        `traces.embedded.${
          section === ingest ? 'ingest' : 'retention'
        }.${key} must be a positive number, got ${value}`,
      );
    }
    return value;
  };
  const frequency = duration('frequency', { minutes: 1 });
  const maxAgeMs = durationToMilliseconds(duration('maxAge', { hours: 24 }));
  if (!(maxAgeMs > 0) || !(durationToMilliseconds(frequency) > 0)) {
    throw new Error(
      'traces.embedded.retention.maxAge and frequency must be longer than zero',
    );
  }
  return {
    ingest: {
      allowLoopback: ingest?.getOptionalBoolean('allowLoopback') ?? true,
      token: ingest?.getOptionalString('token')?.trim() || undefined,
      maxRequestBytes: Math.floor(
        positive(ingest, 'maxRequestSizeMb', 32) * 1024 * 1024,
      ),
    },
    retention: {
      maxAgeMs,
      maxSpans: Math.floor(positive(retention, 'maxSpans', 500_000)),
      maxLogRecords: Math.floor(
        positive(retention, 'maxLogRecords', 1_000_000),
      ),
      frequency,
    },
  };
}
