import type {
  AttributeValue,
  Attributes,
  CompactTrace,
} from '@backstage-traces/plugin-traces-common';

/**
 * The plugin's redaction rules (`traces.redaction`), handed to stores so that secrets are
 * masked before a value enters a compact trace's string table or a cache. The plugin itself
 * masks everything else a store answers (search results, tag values, metric labels, logs);
 * trace answers are the one place a store must apply it, because they are encoded and cached
 * inside the store: pass every trace through `redactCompactTrace` before caching or
 * answering it.
 *
 * @public
 */
export interface TracesRedactor {
  /** False when redaction is switched off, so producers can skip the work. */
  readonly enabled: boolean;
  /** True when every value under this key is masked. */
  isSensitiveKey(key: string): boolean;
  /**
   * The attributes with sensitive values masked, and the keys that were. Returns the same
   * object when nothing was masked.
   */
  redactAttributes(attributes: Attributes): {
    attributes: Attributes;
    redactedKeys: string[];
  };
  /** One value masked as `redactAttributes` would mask it under `key`. */
  redactValue(key: string, value: AttributeValue): AttributeValue;
  /**
   * Free text (a span name, a message, a URL, SQL) with the secrets inside it masked; the
   * same string when there are none.
   */
  redactText(text: string): string;
  /**
   * Masks a compact trace in place — attributes, span and event names, status messages —
   * and blanks the string-table entries only masked values used, so that no masked value
   * stays anywhere in the encoding. Yields to the event loop on large traces.
   */
  redactCompactTrace(compact: CompactTrace): Promise<CompactTrace>;
}
