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
import type { OtlpResourceSpans as TempoResourceSpans } from '@backstage-traces/plugin-traces-common';
import type { z } from 'zod';
import type {
  buildInfoSchema,
  queryInstantResponseSchema,
  queryRangeResponseSchema,
  searchResponseSchema,
  tagsResponseSchema,
  tagValuesResponseSchema,
} from './wireSchemas';

export interface TempoTraceByIdV2 {
  trace?: { resourceSpans?: TempoResourceSpans[] };
  status?: string | number;
  message?: string;
}

// The answers below are checked against wireSchemas.ts on arrival; these are their types.
export type TempoSearchResponse = z.infer<typeof searchResponseSchema>;
export type TempoSearchTrace = NonNullable<
  TempoSearchResponse['traces']
>[number];
export type TempoTagsV2Response = z.infer<typeof tagsResponseSchema>;
export type TempoTagValuesV2Response = z.infer<typeof tagValuesResponseSchema>;
export type TempoQueryRangeResponse = z.infer<typeof queryRangeResponseSchema>;
export type TempoQueryInstantResponse = z.infer<
  typeof queryInstantResponseSchema
>;
export type TempoBuildInfo = z.infer<typeof buildInfoSchema>;
