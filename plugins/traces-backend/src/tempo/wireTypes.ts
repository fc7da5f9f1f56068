/*
 * Tempo's JSON as it arrives (gogo jsonpb): int64 as strings, zero values omitted, enums as
 * names, IDs as base64 in trace bodies and as (shortened) hex in search results.
 * Only the normalisers read these types.
 */

/** Trace bodies are OTLP/JSON in Tempo's dialect; the shared OTLP/JSON producer reads them. */
export type {
  OtlpAnyValue as TempoAnyValue,
  OtlpKeyValue as TempoKeyValue,
  OtlpResourceSpans as TempoResourceSpans,
} from '@backstage-traces/plugin-traces-common';
import type {
  OtlpKeyValue as TempoKeyValue,
  OtlpResourceSpans as TempoResourceSpans,
} from '@backstage-traces/plugin-traces-common';

export interface TempoTraceByIdV2 {
  trace?: { resourceSpans?: TempoResourceSpans[] };
  status?: string | number;
  message?: string;
}

export interface TempoSearchSpan {
  spanID?: string;
  name?: string;
  startTimeUnixNano?: string;
  durationNanos?: string;
  attributes?: TempoKeyValue[];
}

export interface TempoSearchTrace {
  traceID?: string;
  rootServiceName?: string;
  rootTraceName?: string;
  startTimeUnixNano?: string;
  durationMs?: number;
  spanSet?: { spans?: TempoSearchSpan[]; matched?: number };
  spanSets?: Array<{ spans?: TempoSearchSpan[]; matched?: number }>;
  serviceStats?: Record<string, { spanCount?: number; errorCount?: number }>;
}

export interface TempoSearchResponse {
  traces?: TempoSearchTrace[];
}

export interface TempoTagsV2Response {
  scopes?: Array<{ name?: string; tags?: string[] }>;
}

export interface TempoTagValuesV2Response {
  tagValues?: Array<{ type?: string; value?: string }>;
}

export interface TempoQueryRangeResponse {
  series?: Array<{
    labels?: TempoKeyValue[];
    promLabels?: string;
    samples?: Array<{ timestampMs?: string | number; value?: number | string }>;
    exemplars?: Array<{
      labels?: TempoKeyValue[];
      value?: number | string;
      timestampMs?: string | number;
    }>;
  }>;
  status?: string | number;
  message?: string;
}

/** `/api/metrics/query`: one value per series. */
export interface TempoQueryInstantResponse {
  series?: Array<{
    labels?: TempoKeyValue[];
    promLabels?: string;
    value?: number | string;
  }>;
  status?: string | number;
  message?: string;
}

export interface TempoBuildInfo {
  version?: string;
  revision?: string;
}
