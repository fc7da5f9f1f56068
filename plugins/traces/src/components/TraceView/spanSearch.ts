import type {
  AttributeValue,
  Span,
  TraceResource,
} from '@backstage-traces/plugin-traces-common';
import type { WaterfallModel } from './waterfallModel';

/*
 * Search within one trace, over what Jaeger UI and Grafana search too. The query is split into
 * terms (whitespace-separated, double quotes keep a phrase together); a span matches when every
 * term matches one of its fields: name, service, span ID, status message, an attribute key or
 * value of the span, of one of its events (and the event names: `exception`, with its
 * `exception.message`) or of its resource. A `key=value` term matches one attribute (span,
 * event or resource) whose key contains `key` and whose value contains `value`. Matching is
 * case-insensitive substring matching.
 *
 * Case-insensitive RegExps test the original strings, so a search allocates nothing per span
 * (no lower-cased copies, no cached haystack): one O(n · attributes) pass. Resources are shared
 * by many spans, so each term is tested once per resource.
 */

interface Term {
  any?: RegExp;
  key?: RegExp;
  value?: RegExp;
}

const escapeRegExp = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const contains = (text: string) => new RegExp(escapeRegExp(text), 'i');

export function parseSearchQuery(query: string): Term[] {
  const terms: Term[] = [];
  for (const m of query.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const quoted = m[1] !== undefined;
    const text = quoted ? m[1] : m[2];
    if (!text) continue;
    const eq = quoted ? -1 : text.indexOf('=');
    if (eq > 0) {
      const value = text.slice(eq + 1);
      terms.push({
        key: contains(text.slice(0, eq)),
        value: value ? contains(value) : undefined,
      });
    } else {
      terms.push({ any: contains(text) });
    }
  }
  return terms;
}

function valueText(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The key of the first attribute the term matches, if any. */
function matchingKey(
  term: Term,
  attributes: Record<string, AttributeValue>,
): string | undefined {
  for (const key in attributes) {
    if (term.any) {
      if (term.any.test(key) || term.any.test(valueText(attributes[key])))
        return key;
    } else if (
      term.key!.test(key) &&
      (!term.value || term.value.test(valueText(attributes[key])))
    ) {
      return key;
    }
  }
  return undefined;
}

/** Where one term matched a span, e.g. `name` or `event "exception" exception.message`. */
function termPlace(
  term: Term,
  span: Span,
  resource: TraceResource | undefined,
): string | undefined {
  if (term.any) {
    if (term.any.test(span.name)) return 'name';
    if (term.any.test(span.serviceName)) return 'service';
    if (term.any.test(span.spanId)) return 'span ID';
    if (span.status.message && term.any.test(span.status.message))
      return 'status message';
  }
  const key = matchingKey(term, span.attributes);
  if (key !== undefined) return `attribute ${key}`;
  for (const event of span.events) {
    if (term.any?.test(event.name)) return `event "${event.name}"`;
    const eventKey = matchingKey(term, event.attributes);
    if (eventKey !== undefined) return `event "${event.name}" ${eventKey}`;
  }
  const resourceKey = resource && matchingKey(term, resource.attributes);
  if (resourceKey !== undefined) return `resource ${resourceKey}`;
  return undefined;
}

/** Row indexes of matching spans, ascending (display order). Empty for an empty query. */
export function searchSpans(model: WaterfallModel, query: string): Int32Array {
  const terms = parseSearchQuery(query);
  if (terms.length === 0) return new Int32Array(0);
  const { resources } = model.trace;
  // Per term, per resource: 1 when one of the resource's attributes matches.
  const resourceHits = terms.map(term =>
    Uint8Array.from(resources, resource =>
      matchingKey(term, resource.attributes) !== undefined ? 1 : 0,
    ),
  );
  const hits: number[] = [];
  const { spans } = model;
  for (let r = 0; r < model.size; r++) {
    const span = spans[r];
    let all = true;
    for (let t = 0; t < terms.length; t++) {
      if (resourceHits[t][span.resourceIndex]) continue;
      if (!spanMatches(terms[t], span)) {
        all = false;
        break;
      }
    }
    if (all) hits.push(r);
  }
  return Int32Array.from(hits);
}

function spanMatches(term: Term, span: Span): boolean {
  if (term.any) {
    const re = term.any;
    if (re.test(span.name) || re.test(span.serviceName) || re.test(span.spanId))
      return true;
    if (span.status.message && re.test(span.status.message)) return true;
  }
  if (matchingKey(term, span.attributes) !== undefined) return true;
  for (const event of span.events) {
    if (term.any?.test(event.name)) return true;
    if (matchingKey(term, event.attributes) !== undefined) return true;
  }
  return false;
}

/**
 * Where the query matched one span, one entry per term (e.g. `status message`,
 * `event "exception" exception.message`), without repeats. Only for the span on show: a search
 * itself never builds these.
 */
export function matchPlaces(
  model: WaterfallModel,
  row: number,
  query: string,
): string[] {
  const span = model.spans[row];
  if (!span) return [];
  const resource = model.trace.resources[span.resourceIndex];
  const places = parseSearchQuery(query)
    .map(term => termPlace(term, span, resource))
    .filter((place): place is string => place !== undefined);
  return [...new Set(places)];
}

/** Bit mask (1 = match) of the given rows, for filterWithAncestors. */
export function matchMask(size: number, rows: Int32Array): Uint8Array {
  const mask = new Uint8Array(size);
  for (let k = 0; k < rows.length; k++) mask[rows[k]] = 1;
  return mask;
}
