import type { TraceScope } from '@backstage-traces/plugin-traces-node';

/** An attribute value as stored (JSON): arrays hold scalars. */
export type TraceQLValue =
  | string
  | number
  | boolean
  | null
  | ReadonlyArray<string | number | boolean | null>;

export type TraceQLAttributes = Readonly<Record<string, TraceQLValue>>;

/** One span as the embedded store hands it to the engine (see the store's `StoredSpan`). */
export interface TraceQLSpan {
  spanId: string;
  /** Undefined, null or '' for a root span. */
  parentSpanId?: string | null;
  name: string;
  /** The resource's `service.name`. */
  serviceName: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage?: string | null;
  /** Epoch nanoseconds. */
  startNs: bigint;
  durationNs: number;
  attributes: TraceQLAttributes;
  resourceAttributes: TraceQLAttributes;
  /** Read only when the plan's `needs.events` is set. */
  events?: ReadonlyArray<{ name: string; attributes: TraceQLAttributes }>;
  /** Read only when the plan's `needs.links` is set. */
  links?: ReadonlyArray<{ attributes: TraceQLAttributes }>;
}

/** The spans of one trace, with trace-level facts when the store has them. */
export interface TraceQLTrace {
  spans: readonly TraceQLSpan[];
  /**
   * Trace-level facts. Computed from `spans` when undefined (root: the first span without a
   * parent; duration: latest end minus earliest start), which is only right when `spans` is the
   * whole trace.
   */
  rootName?: string | null;
  rootServiceName?: string | null;
  durationNs?: number;
}

/**
 * The entity scope the engine ANDs into every spanset filter, as the Tempo path's scopeQuery does
 * (the tenant is the store's business).
 */
export type TraceQLScope = Pick<
  TraceScope,
  'serviceNames' | 'serviceNamespace' | 'environment' | 'cluster'
>;

export type SpanIntrinsic =
  | 'name'
  | 'status'
  | 'statusMessage'
  | 'kind'
  | 'duration'
  | 'serviceName';
export type TraceIntrinsic = 'rootName' | 'rootServiceName' | 'traceDuration';

/** A column or attribute a condition reads. */
export type ConditionField =
  | { intrinsic: SpanIntrinsic }
  | { trace: TraceIntrinsic }
  /** `unscoped` is TraceQL's `.name`: the span attribute, or the resource attribute when the span has none. */
  | { scope: 'span' | 'resource' | 'unscoped'; key: string };

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | '!~';

/**
 * A condition on one span that a store can put into SQL.
 *
 * - Comparisons on a missing attribute are false, `!=` included; a string never equals a number,
 *   and `<`… on strings compare them as text.
 * - `status` and `kind` values are the OTLP integers, durations are nanoseconds.
 * - `=~` and `!~` carry an RE2 pattern that must match the whole value.
 * - `in` is true when the value is one of `value` (strings).
 */
export type SpanCondition =
  | {
      field: ConditionField;
      op: ComparisonOperator;
      value: string | number | boolean;
    }
  | { field: ConditionField; op: 'in'; value: readonly string[] };
