import type { AttributeValue } from '@backstage-traces/plugin-traces-common';
import { FLAG_ERROR, type WaterfallModel } from '../waterfallModel';

/*
 * Per-group span statistics of one trace (Jaeger UI's "Trace Statistics"): span count, total,
 * average, min, max and self time, errors. Spans are grouped by any tuple of keys: service,
 * span name, kind, status or an attribute (the span's, else its resource's). One pass over
 * the spans, O(n · keys).
 */

export type GroupKey =
  | { kind: 'service' }
  | { kind: 'operation' }
  | { kind: 'spanKind' }
  | { kind: 'status' }
  | { kind: 'attribute'; key: string };

/** Shown for a span that has no value for an attribute grouped by. */
export const NO_VALUE = '(none)';

export interface StatisticsRow {
  /** One value per group key. */
  values: string[];
  count: number;
  totalMs: number;
  avgMs: number;
  minMs: number;
  maxMs: number;
  /** Sum of the spans' self times (time not covered by their children). */
  selfMs: number;
  errors: number;
  /** Waterfall row of the group's longest span, to jump to. */
  longestRow: number;
}

export type StatisticsColumn =
  | 'count'
  | 'totalMs'
  | 'avgMs'
  | 'minMs'
  | 'maxMs'
  | 'selfMs'
  | 'errors'
  | { value: number };

export interface StatisticsSort {
  column: StatisticsColumn;
  direction: 'asc' | 'desc';
}

export function groupKeyLabel(key: GroupKey): string {
  switch (key.kind) {
    case 'service':
      return 'Service';
    case 'operation':
      return 'Operation';
    case 'spanKind':
      return 'Span kind';
    case 'status':
      return 'Status';
    default:
      return key.key;
  }
}

function valueText(value: AttributeValue | undefined): string {
  if (value === undefined) return NO_VALUE;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function valueOf(model: WaterfallModel, row: number, key: GroupKey): string {
  const span = model.spans[row];
  switch (key.kind) {
    case 'service':
      return model.services[model.service[row]] ?? span.serviceName;
    case 'operation':
      return span.name;
    case 'spanKind':
      return span.kind;
    case 'status':
      return span.status.code;
    default: {
      const own = span.attributes[key.key];
      if (own !== undefined) return valueText(own);
      return valueText(
        model.trace.resources[span.resourceIndex]?.attributes[key.key],
      );
    }
  }
}

export function computeStatistics(
  model: WaterfallModel,
  keys: readonly GroupKey[],
): StatisticsRow[] {
  const groups = new Map<string, StatisticsRow>();
  for (let r = 0; r < model.size; r++) {
    const values = keys.map(key => valueOf(model, r, key));
    const id = values.join('\u0000');
    const duration = model.endMs[r] - model.startMs[r];
    let group = groups.get(id);
    if (!group) {
      group = {
        values,
        count: 0,
        totalMs: 0,
        avgMs: 0,
        minMs: Infinity,
        maxMs: -Infinity,
        selfMs: 0,
        errors: 0,
        longestRow: r,
      };
      groups.set(id, group);
    }
    group.count++;
    group.totalMs += duration;
    group.selfMs += model.selfMs[r];
    if (duration < group.minMs) group.minMs = duration;
    if (duration > group.maxMs) {
      group.maxMs = duration;
      group.longestRow = r;
    }
    if (model.flags[r] & FLAG_ERROR) group.errors++;
  }
  const rows = Array.from(groups.values());
  for (const row of rows) row.avgMs = row.totalMs / row.count;
  return rows;
}

export function sortStatistics(
  rows: readonly StatisticsRow[],
  sort: StatisticsSort,
): StatisticsRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const { column } = sort;
  const compare =
    typeof column === 'object'
      ? (x: StatisticsRow, y: StatisticsRow) =>
          x.values[column.value].localeCompare(y.values[column.value])
      : (x: StatisticsRow, y: StatisticsRow) => x[column] - y[column];
  // Ties keep a stable, readable order: by the group values.
  return rows
    .slice()
    .sort(
      (x, y) =>
        sign * compare(x, y) ||
        x.values.join('\u0000').localeCompare(y.values.join('\u0000')),
    );
}

/** Attribute keys of the trace's spans and resources, for the grouping picker; sorted. */
export function attributeKeys(model: WaterfallModel): string[] {
  const keys = new Set<string>();
  for (const resource of model.trace.resources) {
    for (const key of Object.keys(resource.attributes)) keys.add(key);
  }
  for (let r = 0; r < model.size; r++) {
    for (const key of Object.keys(model.spans[r].attributes)) keys.add(key);
  }
  return Array.from(keys).sort();
}
