/** A value written in the query. `status` and `kind` hold OTLP integers, `duration` nanoseconds. */
export type Literal =
  | { kind: 'literal'; type: 'string'; value: string }
  | {
      kind: 'literal';
      type: 'int' | 'float' | 'duration' | 'status' | 'kind';
      value: number;
    }
  | { kind: 'literal'; type: 'bool'; value: boolean }
  | { kind: 'literal'; type: 'nil'; value: null };

export type IntrinsicName =
  | 'name'
  | 'status'
  | 'statusMessage'
  | 'kind'
  | 'duration'
  | 'rootName'
  | 'rootServiceName'
  | 'traceDuration'
  | 'eventName';

export type AttributeScope =
  | 'span'
  | 'resource'
  | 'unscoped'
  | 'event'
  | 'link';

export type Field =
  | { kind: 'intrinsic'; name: IntrinsicName }
  | { kind: 'attribute'; scope: AttributeScope; name: string };

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | '!~';

export type FieldExpr =
  | Literal
  | Field
  | {
      kind: 'compare';
      op: ComparisonOp;
      lhs: Literal | Field;
      rhs: Literal | Field;
    }
  | { kind: 'and' | 'or'; lhs: FieldExpr; rhs: FieldExpr }
  | { kind: 'not'; expr: FieldExpr };

export type StructuralOp =
  | '>>'
  | '>'
  | '<<'
  | '<'
  | '~'
  | '!>>'
  | '!>'
  | '!<<'
  | '!<'
  | '!~'
  | '&>>'
  | '&>'
  | '&<<'
  | '&<'
  | '&~';

export type SpansetExpr =
  /** `{ … }`; `filter` is undefined for `{}`. */
  | { kind: 'filter'; filter?: FieldExpr }
  | { kind: 'and' | 'or'; lhs: SpansetExpr; rhs: SpansetExpr }
  | { kind: 'structural'; op: StructuralOp; lhs: SpansetExpr; rhs: SpansetExpr }
  /** `source | { … } | …`: each stage keeps the spans of its input that match it. */
  | { kind: 'pipeline'; source: SpansetExpr; stages: FieldExpr[] };

export type MetricsFunction =
  | 'rate'
  | 'count_over_time'
  | 'quantile_over_time'
  | 'histogram_over_time';

export interface MetricsOp {
  fn: MetricsFunction;
  /** The field of `quantile_over_time` and `histogram_over_time` (e.g. duration), and the quantiles. */
  field?: Field;
  quantiles?: number[];
  by: Field[];
}

export interface Query {
  spansets: SpansetExpr;
  /** Fields named in `| select(…)`: Tempo returns them on matched spans. */
  select: Field[];
  metrics?: MetricsOp;
}
