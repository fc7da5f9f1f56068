import type {
  LogRecord,
  MetricSeries,
  TagValuesResponse,
  TraceSummary,
} from '@backstage-traces/plugin-traces-common';
import type { ServiceGraphEdges } from '../graph/types';
import { promLabels } from '../tempo/normalizeMetrics';
import type { Redactor } from './Redactor';

const UNMASKED_TAG_TYPES = new Set(['int', 'float', 'bool', 'duration']);

/*
 * Masking of the answers that are not traces (traces go through redactCompactTrace). Each
 * function masks objects the backend just built from an upstream answer, in place, before
 * they are serialised.
 */

/** Search results: root span names, service names, matched spans' names and attributes. */
export function redactSearchResults(
  traces: TraceSummary[],
  redactor: Redactor,
): TraceSummary[] {
  if (!redactor.enabled) return traces;
  for (const trace of traces) {
    if (trace.rootSpanName !== undefined)
      trace.rootSpanName = redactor.redactText(trace.rootSpanName);
    if (trace.rootServiceName !== undefined)
      trace.rootServiceName = redactor.redactText(trace.rootServiceName);
    for (const service of trace.services)
      service.name = redactor.redactText(service.name);
    for (const span of trace.matchedSpans) {
      if (span.name !== undefined) span.name = redactor.redactText(span.name);
      const { attributes, redactedKeys } = redactor.redactAttributes(
        span.attributes,
      );
      if (redactedKeys.length) {
        span.attributes = attributes;
        span.redactedKeys = redactedKeys;
      }
    }
  }
  return traces;
}

/**
 * TraceQL metrics series: label values masked by their label name (`span.http.request.header
 * .authorization`) and as free text; the Prometheus-style name is rebuilt from the masked
 * labels, as Tempo's own `promLabels` carries the raw values.
 */
export function redactMetricSeries<
  T extends Pick<MetricSeries, 'labels' | 'name'>,
>(series: T[], redactor: Redactor): T[] {
  if (!redactor.enabled) return series;
  for (const one of series) {
    let changed = false;
    for (const [name, value] of Object.entries(one.labels)) {
      if (typeof value !== 'string') continue;
      const masked = redactor.redactValue(name, value) as string;
      if (masked !== value) {
        one.labels[name] = masked;
        changed = true;
      }
    }
    one.name = changed ? promLabels(one.labels) : redactor.redactText(one.name);
  }
  return series;
}

/**
 * Tag values (autocomplete) masked by the tag's name and as free text. Values that mask to
 * the same text (or come from several requests) are listed once.
 */
export function redactTagValues(
  tag: string,
  values: TagValuesResponse['values'],
  redactor: Redactor,
): TagValuesResponse['values'] {
  const seen = new Set<string>();
  const out: TagValuesResponse['values'] = [];
  for (const { type, value } of values) {
    const masked =
      !redactor.enabled || UNMASKED_TAG_TYPES.has(type)
        ? value
        : (redactor.redactValue(tag, value) as string);
    const key = `${type}\u0000${masked}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ type, value: masked });
  }
  return out;
}

/** Log records: the message as free text, fields by key and as free text. */
export function redactLogs(logs: LogRecord[], redactor: Redactor): LogRecord[] {
  if (!redactor.enabled) return logs;
  for (const log of logs) {
    log.message = redactor.redactText(log.message);
    if (log.serviceName !== undefined)
      log.serviceName = redactor.redactText(log.serviceName);
    const { attributes, redactedKeys } = redactor.redactAttributes(
      log.fields as Parameters<Redactor['redactAttributes']>[0],
    );
    if (redactedKeys.length) {
      log.fields = attributes;
      log.redactedKeys = redactedKeys;
    }
  }
  return logs;
}

/**
 * Service graph edges: node names come from Prometheus labels or from span attributes
 * (`peer.service`, `server.address`, `db.name`), which may carry connection strings.
 */
export function redactGraphEdges(
  edges: ServiceGraphEdges,
  redactor: Redactor,
): ServiceGraphEdges {
  if (!redactor.enabled) return edges;
  for (const edge of edges.edges) {
    edge.source = redactor.redactText(edge.source);
    edge.target = redactor.redactText(edge.target);
  }
  return edges;
}
