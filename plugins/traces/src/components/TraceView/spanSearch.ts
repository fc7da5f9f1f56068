import type { AttributeValue } from '@backstage-traces/plugin-traces-common';
import type { WaterfallModel } from './waterfallModel';

/*
 * Search within one trace. The query is split into terms (whitespace-separated, double quotes
 * keep a phrase together); a span matches when every term matches one of its fields: name,
 * service, span ID, an attribute key or an attribute value. A `key=value` term matches one
 * attribute whose key contains `key` and whose value contains `value`. Matching is
 * case-insensitive substring matching.
 *
 * Case-insensitive RegExps test the original strings, so a search allocates nothing per span
 * (no lower-cased copies, no cached haystack): one O(n · attributes) pass.
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

/** Row indexes of matching spans, ascending (display order). Empty for an empty query. */
export function searchSpans(model: WaterfallModel, query: string): Int32Array {
  const terms = parseSearchQuery(query);
  if (terms.length === 0) return new Int32Array(0);
  const hits: number[] = [];
  const { spans } = model;
  for (let r = 0; r < model.size; r++) {
    const span = spans[r];
    let all = true;
    for (const term of terms) {
      if (
        !termMatches(
          term,
          span.name,
          span.serviceName,
          span.spanId,
          span.attributes,
        )
      ) {
        all = false;
        break;
      }
    }
    if (all) hits.push(r);
  }
  return Int32Array.from(hits);
}

function termMatches(
  term: Term,
  name: string,
  service: string,
  spanId: string,
  attributes: Record<string, AttributeValue>,
): boolean {
  if (term.any) {
    const re = term.any;
    if (re.test(name) || re.test(service) || re.test(spanId)) return true;
    for (const key in attributes) {
      if (re.test(key) || re.test(valueText(attributes[key]))) return true;
    }
    return false;
  }
  for (const key in attributes) {
    if (
      term.key!.test(key) &&
      (!term.value || term.value.test(valueText(attributes[key])))
    ) {
      return true;
    }
  }
  return false;
}

/** Bit mask (1 = match) of the given rows, for filterWithAncestors. */
export function matchMask(size: number, rows: Int32Array): Uint8Array {
  const mask = new Uint8Array(size);
  for (let k = 0; k < rows.length; k++) mask[rows[k]] = 1;
  return mask;
}
