/**
 * Autocomplete for the TraceQL box: works out what is being typed at the cursor (an attribute
 * name inside a spanset filter, or the value compared with one) and what to offer there.
 * Plain functions over the text, so the editor component only renders their results.
 */
import type {
  TagsResponse,
  TagValue,
  TraceQLAttributeScope,
} from '@backstage-traces/plugin-traces-common';
import {
  traceqlAttribute,
  traceqlString,
} from '@backstage-traces/plugin-traces-common';

export type CompletionContext =
  | { kind: 'attribute'; prefix: string; from: number; to: number }
  | {
      kind: 'value';
      /** The attribute as written, e.g. `span.http.route` or `status`. */
      attribute: string;
      prefix: string;
      /** True when the cursor is inside a string literal. */
      quoted: boolean;
      from: number;
      to: number;
    };

export interface CompletionItem {
  label: string;
  insertText: string;
  /** The attribute scope or value type, shown next to the label. */
  detail?: string;
}

/** Intrinsics offered even when Tempo's tag API lists none (older Tempo versions). */
export const INTRINSICS = [
  'name',
  'status',
  'statusMessage',
  'duration',
  'kind',
  'rootName',
  'rootServiceName',
  'traceDuration',
] as const;

const ENUM_VALUES: Record<string, readonly string[]> = {
  status: ['error', 'ok', 'unset'],
  kind: ['server', 'client', 'producer', 'consumer', 'internal', 'unspecified'],
};

const MAX_ITEMS = 100;
const ATTRIBUTE_TOKEN = String.raw`[A-Za-z_.:][\w.:\-]*`;
const OPERATOR = String.raw`=~|!~|!=|>=|<=|=|>|<`;
const QUOTED_VALUE = new RegExp(
  String.raw`(${ATTRIBUTE_TOKEN})\s*(?:${OPERATOR})\s*"((?:[^"\\]|\\.)*)$`,
);
const BARE_VALUE = new RegExp(
  String.raw`(${ATTRIBUTE_TOKEN})\s*(?:${OPERATOR})\s*([\w.\-]*)$`,
);
const ATTRIBUTE_AT_END = new RegExp(String.raw`(${ATTRIBUTE_TOKEN})?$`);

function tryOrUndefined<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Brace depth and whether the end of `text` is inside a string literal. */
function scan(text: string): { depth: number; inString: boolean } {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
  }
  return { depth, inString };
}

/** What is being typed at `cursor`, or undefined where nothing is offered. */
export function getCompletionContext(
  text: string,
  cursor: number,
): CompletionContext | undefined {
  const before = text.slice(0, cursor);
  const after = text.slice(cursor);
  const { depth, inString } = scan(before);
  if (depth === 0) return undefined;

  if (inString) {
    const match = QUOTED_VALUE.exec(before);
    if (!match) return undefined;
    const rest = /^(?:[^"\\]|\\.)*"?/.exec(after)![0];
    return {
      kind: 'value',
      attribute: match[1],
      prefix: match[2],
      quoted: true,
      // replace from the opening quote, so the inserted literal brings its own quotes
      from: cursor - match[2].length - 1,
      to: cursor + rest.length,
    };
  }

  const restOfWord = /^[\w.:\-]*/.exec(after)![0];
  const value = BARE_VALUE.exec(before);
  if (value) {
    return {
      kind: 'value',
      attribute: value[1],
      prefix: value[2],
      quoted: false,
      from: cursor - value[2].length,
      to: cursor + restOfWord.length,
    };
  }

  const word = ATTRIBUTE_AT_END.exec(before)?.[1] ?? '';
  const preceding = before.slice(0, before.length - word.length).trimEnd();
  if (/(\{|\(|&&|\|\||!)$/.test(preceding)) {
    return {
      kind: 'attribute',
      prefix: word,
      from: cursor - word.length,
      to: cursor + restOfWord.length,
    };
  }
  return undefined;
}

/** Case-insensitive match, names starting with the prefix first. */
function rank(items: CompletionItem[], prefix: string): CompletionItem[] {
  const p = prefix.toLowerCase();
  const starts: CompletionItem[] = [];
  const contains: CompletionItem[] = [];
  for (const item of items) {
    const label = item.label.toLowerCase();
    if (label === p) continue;
    if (label.startsWith(p)) starts.push(item);
    else if (p && label.includes(p)) contains.push(item);
  }
  return [...starts, ...contains].slice(0, MAX_ITEMS);
}

/** All attribute names: intrinsics bare, the others with their scope prefix (`span.`, `resource.`). */
export function attributeItems(
  tags: TagsResponse | undefined,
): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  const add = (label: string, detail: string) => {
    if (seen.has(label)) return;
    seen.add(label);
    items.push({ label, insertText: label, detail });
  };
  const scopes = tags?.scopes ?? [];
  for (const scope of scopes.filter(s => s.name === 'intrinsic')) {
    scope.tags.forEach(tag => add(tag, 'intrinsic'));
  }
  INTRINSICS.forEach(tag => add(tag, 'intrinsic'));
  for (const scope of scopes.filter(s => s.name !== 'intrinsic')) {
    for (const tag of scope.tags) {
      // a scope this TraceQL version does not know, or an unusable name, is skipped
      const name = tryOrUndefined(() =>
        traceqlAttribute(scope.name as TraceQLAttributeScope, tag),
      );
      if (name) add(name, scope.name);
    }
  }
  return items;
}

export function attributeCompletions(
  tags: TagsResponse | undefined,
  prefix: string,
): CompletionItem[] {
  return rank(attributeItems(tags), prefix);
}

/** Strips a `span:` style scope from an intrinsic, e.g. `span:status` → `status`. */
function intrinsicName(attribute: string): string {
  return attribute.replace(/^(span|trace|event|link|instrumentation):/, '');
}

/** Values with a fixed set (status, kind) that need no lookup. */
export function enumValues(attribute: string): readonly string[] | undefined {
  return ENUM_VALUES[intrinsicName(attribute)];
}

/**
 * Values for `attribute`: fixed enums for status/kind, otherwise the values Tempo knows.
 * Strings are inserted as escaped TraceQL literals; numbers, booleans and keywords bare.
 */
export function valueCompletions(
  attribute: string,
  values: TagValue[] | undefined,
  prefix: string,
  quoted: boolean,
): CompletionItem[] {
  const fixed = enumValues(attribute);
  let items: CompletionItem[];
  if (fixed) {
    // status and kind values are keywords, never string literals
    items = quoted
      ? []
      : fixed.map(v => ({
          label: v,
          insertText: v,
          detail: intrinsicName(attribute),
        }));
  } else {
    items = (values ?? [])
      .filter(v => !quoted || v.type === 'string')
      .flatMap(v => {
        const insertText =
          v.type === 'string'
            ? tryOrUndefined(() => traceqlString(v.value))
            : v.value;
        return insertText === undefined
          ? []
          : [{ label: v.value, insertText, detail: v.type }];
      });
  }
  return rank(items, prefix);
}

/** Replaces the token at the context with the item; returns the new text and cursor. */
export function applyCompletion(
  text: string,
  context: CompletionContext,
  item: CompletionItem,
): { text: string; cursor: number } {
  const next =
    text.slice(0, context.from) + item.insertText + text.slice(context.to);
  return { text: next, cursor: context.from + item.insertText.length };
}
