import type {
  AttributeValue,
  Attributes,
} from '@backstage-traces/plugin-traces-common';

/**
 * The plugin's redaction rules (`traces.redaction`), handed to stores so that secrets are
 * masked before a value enters a compact trace's string table or a cache. The plugin itself
 * masks everything else a store answers (search results, tag values, metric labels, logs);
 * trace answers are the one place a store must apply it, because they are encoded and cached
 * inside the store.
 *
 * @public
 */
export interface TracesRedactor {
  /** False when redaction is switched off, so producers can skip the work. */
  readonly enabled: boolean;
  /** True when every value under this key is masked. */
  isSensitiveKey(key: string): boolean;
  /** True when the values under this key are URLs or query strings by convention. */
  isUrlAttribute(key: string): boolean;
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
  /** A URL or query string with sensitive parameters and userinfo passwords masked. */
  redactUrl(text: string): string;
}
