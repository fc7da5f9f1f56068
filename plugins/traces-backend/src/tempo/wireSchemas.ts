import { z } from 'zod';
import type {
  OtlpAnyValue,
  OtlpKeyValue,
} from '@backstage-traces/plugin-traces-common';

/*
 * The shapes of Tempo's JSON answers that the normalisers read, checked where the answer
 * arrives (TempoClient): a proxy, another version or a broken Tempo answering `null`, a
 * number where a list belongs or a date that is not digits is a 502 naming Tempo and the
 * field, not a TypeError deep in a normaliser (a 500). Unknown fields are ignored.
 */

/** Nanoseconds since the epoch as jsonpb writes int64: a string of digits. */
const nanos = z.string().regex(/^\d+$/, 'must be a string of digits');
const int64 = z.union([z.string(), z.number()]);
const numberish = z.union([z.number(), z.string()]);

// Recursive: arrays and maps of values (the lazy getter defers the self-reference).
const anyValue: z.ZodType<OtlpAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: numberish.optional(),
    arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z
      .object({
        values: z
          .array(z.object({ key: z.string(), value: anyValue.optional() }))
          .optional(),
      })
      .optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValue: z.ZodType<OtlpKeyValue> = z.object({
  key: z.string(),
  value: anyValue.optional(),
});
const attributes = z.array(keyValue);

const spanSet = z.object({
  spans: z
    .array(
      z.object({
        spanID: z.string().optional(),
        name: z.string().optional(),
        startTimeUnixNano: nanos.optional(),
        durationNanos: int64.optional(),
        attributes: attributes.optional(),
      }),
    )
    .optional(),
  matched: z.number().optional(),
});

export const searchResponseSchema = z.object({
  traces: z
    .array(
      z.object({
        traceID: z.string().optional(),
        rootServiceName: z.string().optional(),
        rootTraceName: z.string().optional(),
        startTimeUnixNano: nanos.optional(),
        durationMs: z.number().optional(),
        spanSet: spanSet.optional(),
        spanSets: z.array(spanSet).optional(),
        serviceStats: z
          .record(
            z.string(),
            z.object({
              spanCount: z.number().optional(),
              errorCount: z.number().optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

export const tagsResponseSchema = z.object({
  scopes: z
    .array(
      z.object({
        name: z.string().optional(),
        tags: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export const tagValuesResponseSchema = z.object({
  tagValues: z
    .array(
      z.object({ type: z.string().optional(), value: z.string().optional() }),
    )
    .optional(),
});

const status = {
  status: z.union([z.string(), z.number()]).optional(),
  message: z.string().optional(),
};

export const queryRangeResponseSchema = z.object({
  series: z
    .array(
      z.object({
        labels: attributes.optional(),
        promLabels: z.string().optional(),
        samples: z
          .array(
            z.object({
              timestampMs: int64.optional(),
              value: numberish.optional(),
            }),
          )
          .optional(),
        exemplars: z
          .array(
            z.object({
              labels: attributes.optional(),
              value: numberish.optional(),
              timestampMs: int64.optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  ...status,
});

export const queryInstantResponseSchema = z.object({
  series: z
    .array(
      z.object({
        labels: attributes.optional(),
        promLabels: z.string().optional(),
        value: numberish.optional(),
      }),
    )
    .optional(),
  ...status,
});

export const buildInfoSchema = z.object({
  version: z.string().optional(),
  revision: z.string().optional(),
});
