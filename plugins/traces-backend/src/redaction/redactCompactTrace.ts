import {
  MASKED_VALUE,
  type AttributeValue,
  type CompactAttributes,
  type CompactTrace,
} from '@backstage-traces/plugin-traces-common';
import { runSliced, runToEnd } from '../lib/slicedWork';
import type { Redactor } from './Redactor';

/**
 * Masks a compact trace and blanks every string-table entry that only a masked value used,
 * so no replaced value survives anywhere in the answer (a masked attribute used to leave its
 * raw string in the table). Every trace, however it was decoded, passes through here before
 * it is cached or encoded for an answer; windows are cut from the result.
 *
 * Decisions are made once per distinct string (a large trace repeats most of them): whether
 * a key is sensitive, and the free-text-masked form of a value, name or message. Masked
 * forms are appended to the table; indexes of everything else stay, so a clean trace is
 * encoded exactly as before. Works in place and yields between slices for `runSliced`.
 */
export function* redactCompactSteps(
  compact: CompactTrace,
  redactor: Redactor,
): Generator<void, CompactTrace> {
  if (!redactor.enabled) return compact;
  const strings = compact.strings;
  const size = strings.length;
  // Per source index: 1 not sensitive / 2 sensitive (as a key); text: output index + 1.
  const keyState = new Uint8Array(size);
  const textOut = new Int32Array(size);
  // Whether a source string is still referenced as it is, and whether a reference was masked.
  const used = new Uint8Array(size);
  const replaced = new Uint8Array(size);
  const appended = new Map<string, number>();
  const append = (value: string) => {
    let index = appended.get(value);
    if (index === undefined) {
      index = strings.length;
      strings.push(value);
      appended.set(value, index);
    }
    return index;
  };

  const key = (k: number) => {
    used[k] = 1;
    return k;
  };
  const sensitive = (k: number) => {
    if (keyState[k] === 0)
      keyState[k] = redactor.isSensitiveKey(strings[k]) ? 2 : 1;
    return keyState[k] === 2;
  };
  /** The index of the value as it may be sent. */
  const text = (v: number) => {
    if (v >= size) return v; // already a masked form
    let out = textOut[v] - 1;
    if (out === -1) {
      const masked = redactor.redactText(strings[v]);
      out = masked === strings[v] ? v : append(masked);
      textOut[v] = out + 1;
    }
    if (out === v) used[v] = 1;
    else replaced[v] = 1;
    return out;
  };

  /** Masks one attribute list in place; pushes the indexes of masked keys. */
  const attributes = (list: CompactAttributes, redacted: number[]) => {
    for (let i = 0; i < list.length; i += 2) {
      const k = list[i] as number;
      if (k >= 0) {
        used[k] = 1;
        const v = list[i + 1] as number;
        if (sensitive(k)) {
          replaced[v] = 1;
          list[i + 1] = append(MASKED_VALUE);
          redacted.push(k);
        } else {
          const out = text(v);
          list[i + 1] = out;
          if (out !== v) redacted.push(k);
        }
      } else {
        const keyIndex = -k - 1;
        used[keyIndex] = 1;
        const value = list[i + 1] as AttributeValue;
        const result = redactor.redactValue(strings[keyIndex], value);
        if (result !== value) {
          redacted.push(keyIndex);
          if (typeof result === 'string') {
            list[i] = keyIndex;
            list[i + 1] = append(result);
          } else list[i + 1] = result;
        }
      }
    }
  };
  // One scratch list for the masked keys of a row; copied only when something was masked.
  const scratch: number[] = [];
  const startRow = (previous: number[] | undefined) => {
    scratch.length = 0;
    if (previous) for (const k of previous) scratch.push(key(k));
    return scratch;
  };
  const finishRow = (redacted: number[]) =>
    redacted.length ? [...new Set(redacted)] : undefined;

  for (const resource of compact.resources) {
    const redacted = startRow(resource.redactedKeys);
    resource.serviceName = text(resource.serviceName);
    if (resource.serviceNamespace !== undefined)
      resource.serviceNamespace = text(resource.serviceNamespace);
    attributes(resource.attributes, redacted);
    const keys = finishRow(redacted);
    if (keys) resource.redactedKeys = keys;
  }

  const spans = compact.spans;
  const n = spans.parent.length;
  for (let row = 0; row < n; row++) {
    if ((row & 8191) === 8191) yield;
    const redacted = startRow(spans.redactedKeys[row]);
    spans.name[row] = text(spans.name[row]);
    const message = spans.statusMessage[row];
    if (message !== undefined) spans.statusMessage[row] = text(message);
    attributes(spans.attributes[row], redacted);
    const events = spans.events[row];
    if (events) {
      for (const event of events) {
        event[0] = text(event[0]);
        attributes(event[2], redacted);
      }
    }
    const links = spans.links[row];
    if (links) for (const link of links) attributes(link[2], redacted);
    const scope = spans.scope[row];
    if (scope) {
      spans.scope[row] =
        scope[1] === undefined
          ? [text(scope[0])]
          : [text(scope[0]), text(scope[1])];
    }
    const keys = finishRow(redacted);
    if (keys) spans.redactedKeys[row] = keys;
  }
  if (compact.window) {
    for (const service of compact.window.services)
      service[0] = text(service[0]);
  }
  if (compact.partialMessage !== undefined) {
    compact.partialMessage = redactor.redactText(compact.partialMessage);
  }
  // Entries only masked values referred to: nothing points at them any more.
  for (let i = 0; i < size; i++) {
    if (replaced[i] && !used[i]) strings[i] = '';
  }
  return compact;
}

export function redactCompactTrace(
  compact: CompactTrace,
  redactor: Redactor,
): CompactTrace {
  return runToEnd(redactCompactSteps(compact, redactor));
}

export function redactCompactTraceAsync(
  compact: CompactTrace,
  redactor: Redactor,
): Promise<CompactTrace> {
  return runSliced(redactCompactSteps(compact, redactor));
}
