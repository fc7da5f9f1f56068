import type {
  MetricInstantSeries,
  MetricSeries,
} from '@backstage-traces/plugin-traces-common';
import { normalizeTraceId } from '@backstage-traces/plugin-traces-common';
import {
  attributeText,
  otlpValue as toAttributeValue,
} from '@backstage-traces/plugin-traces-common';
import { parseGoDuration } from '../embedded/traceql/duration';
import type {
  TempoKeyValue,
  TempoQueryInstantResponse,
  TempoQueryRangeResponse,
} from './wireTypes';

interface Normalized<TSeries> {
  series: TSeries[];
  partial?: boolean;
  partialMessage?: string;
}

export function normalizeMetricsResponse(
  body: TempoQueryRangeResponse,
): Normalized<MetricSeries> {
  const series = (body.series ?? []).map(raw => {
    return {
      ...seriesName(raw),
      // Tempo omits `value` for zero samples (proto3 JSON), so a missing value is 0.
      samples: (raw.samples ?? []).map(sample => ({
        timestampMs: Number(sample.timestampMs ?? 0),
        value: toNumber(sample.value),
      })),
      exemplars: (raw.exemplars ?? []).map(exemplar => {
        const exemplarLabels = toLabels(exemplar.labels);
        const traceId = normalizeTraceId(
          String(exemplarLabels['trace:id'] ?? ''),
        );
        const spanId = String(exemplarLabels['span:id'] ?? '') || undefined;
        // Tempo labels an exemplar with the span's duration when the query reads it
        // (`duration: "120ms"`, a Go duration).
        const durationNs =
          typeof exemplarLabels.duration === 'string'
            ? parseGoDuration(exemplarLabels.duration)
            : undefined;
        return {
          ...(traceId && { traceId }),
          ...(spanId && { spanId }),
          timestampMs: Number(exemplar.timestampMs ?? 0),
          value: toNumber(exemplar.value),
          ...(durationNs !== undefined && { durationMs: durationNs / 1e6 }),
        };
      }),
    };
  });
  return { series, ...partialOf(body) };
}

export function normalizeMetricsInstantResponse(
  body: TempoQueryInstantResponse,
): Normalized<MetricInstantSeries> {
  const series = (body.series ?? []).map(raw => ({
    ...seriesName(raw),
    value: toNumber(raw.value),
  }));
  return { series, ...partialOf(body) };
}

function seriesName(raw: { labels?: TempoKeyValue[]; promLabels?: string }) {
  const labels = toLabels(raw.labels);
  return { labels, name: raw.promLabels ?? promLabels(labels) };
}

function partialOf(body: { status?: string | number; message?: string }) {
  const partial = body.status === 'PARTIAL' || body.status === 1;
  return partial
    ? {
        partial,
        partialMessage: body.message || 'Tempo returned a partial result',
      }
    : {};
}

function toLabels(list: TempoKeyValue[] | undefined) {
  const labels: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const typed = toAttributeValue(value);
    labels[key] =
      typeof typed === 'number' || typeof typed === 'boolean'
        ? typed
        : attributeText(typed);
  }
  return labels;
}

/** Prometheus-style label text, `{key="value", …}`. */
export function promLabels(
  labels: Record<string, string | number | boolean>,
): string {
  const parts = Object.entries(labels).map(
    ([key, value]) => `${key}=${JSON.stringify(String(value))}`,
  );
  return `{${parts.join(', ')}}`;
}

function toNumber(value: number | string | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}
