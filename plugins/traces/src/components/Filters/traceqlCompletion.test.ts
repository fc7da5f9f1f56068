import type { TagsResponse } from '@backstage-traces/plugin-traces-common';
import {
  applyCompletion,
  attributeCompletions,
  getCompletionContext,
  valueCompletions,
} from './traceqlCompletion';

/** Context at the `‸` marker of the text. */
function contextAt(marked: string) {
  const cursor = marked.indexOf('‸');
  return getCompletionContext(marked.replace('‸', ''), cursor);
}

const tags: TagsResponse = {
  scopes: [
    { name: 'span', tags: ['http.route', 'http.status_code', 'db.system'] },
    { name: 'resource', tags: ['service.name', 'deployment.environment'] },
    { name: 'intrinsic', tags: ['name', 'status', 'duration', 'event:name'] },
  ],
};

describe('getCompletionContext', () => {
  it('offers attributes right after an opening brace or a logical operator', () => {
    expect(contextAt('{ ‸')).toEqual({
      kind: 'attribute',
      prefix: '',
      from: 2,
      to: 2,
    });
    expect(contextAt('{ span.ht‸ }')).toEqual({
      kind: 'attribute',
      prefix: 'span.ht',
      from: 2,
      to: 9,
    });
    expect(contextAt('{ status = error && res‸')).toMatchObject({
      kind: 'attribute',
      prefix: 'res',
    });
    expect(contextAt('{ (a = 1 || !‸')).toMatchObject({
      kind: 'attribute',
      prefix: '',
    });
  });

  it('replaces the whole word under the cursor', () => {
    expect(contextAt('{ spa‸n.http.route = "x" }')).toEqual({
      kind: 'attribute',
      prefix: 'spa',
      from: 2,
      to: 17,
    });
  });

  it('offers values after a comparison, bare or inside a string', () => {
    expect(contextAt('{ status = e‸')).toEqual({
      kind: 'value',
      attribute: 'status',
      prefix: 'e',
      quoted: false,
      from: 11,
      to: 12,
    });
    expect(contextAt('{ span.http.route =~ "/api/‸" }')).toEqual({
      kind: 'value',
      attribute: 'span.http.route',
      prefix: '/api/',
      quoted: true,
      from: 21,
      to: 28,
    });
  });

  it('offers nothing outside braces or after a complete comparison', () => {
    expect(contextAt('‸')).toBeUndefined();
    expect(contextAt('{ status = error } | ‸')).toBeUndefined();
    expect(contextAt('{ status = error ‸')).toBeUndefined();
    expect(contextAt('{ name = "a {b" } && ‸')).toBeUndefined();
  });

  it('ignores braces inside string literals', () => {
    expect(contextAt('{ name = "}" && st‸')).toMatchObject({
      kind: 'attribute',
      prefix: 'st',
    });
  });
});

describe('attributeCompletions', () => {
  it('lists intrinsics bare and other tags with their scope, prefix matches first', () => {
    const all = attributeCompletions(tags, '').map(i => i.label);
    expect(all.slice(0, 4)).toEqual([
      'name',
      'status',
      'duration',
      'event:name',
    ]);
    expect(all).toContain('span.http.route');
    expect(all).toContain('resource.service.name');
    expect(all).toContain('traceDuration'); // built-in intrinsic Tempo did not list

    expect(attributeCompletions(tags, 'http').map(i => i.label)).toEqual([
      'span.http.route',
      'span.http.status_code',
    ]);
    expect(attributeCompletions(tags, 'RES').map(i => i.label)).toEqual([
      'resource.service.name',
      'resource.deployment.environment',
    ]);
  });

  it('still offers intrinsics when the tag API failed', () => {
    expect(attributeCompletions(undefined, 'dur').map(i => i.label)).toEqual([
      'duration',
      'traceDuration',
    ]);
  });
});

describe('valueCompletions', () => {
  it('offers the fixed values of status and kind', () => {
    expect(
      valueCompletions('status', undefined, '', false).map(i => i.insertText),
    ).toEqual(['error', 'ok', 'unset']);
    expect(
      valueCompletions('span:kind', undefined, 'cl', false).map(i => i.label),
    ).toEqual(['client']);
  });

  it('quotes and escapes string values and keeps numbers bare', () => {
    const values = [
      { type: 'string', value: '/orders/{id}' },
      { type: 'string', value: 'say "hi"' },
      { type: 'int', value: '500' },
    ];
    const items = valueCompletions('span.x', values, '', false);
    expect(items.map(i => i.insertText)).toEqual([
      '"/orders/{id}"',
      '"say \\"hi\\""',
      '500',
    ]);
    // inside a string literal only string values make sense
    expect(valueCompletions('span.x', values, '', true)).toHaveLength(2);
  });
});

describe('applyCompletion', () => {
  it('inserts an attribute in place of the typed word', () => {
    const text = '{ span.ht }';
    const context = getCompletionContext(text, 9)!;
    expect(
      applyCompletion(text, context, {
        label: 'span.http.route',
        insertText: 'span.http.route',
      }),
    ).toEqual({ text: '{ span.http.route }', cursor: 17 });
  });

  it('replaces a partly typed string literal including its quotes', () => {
    const text = '{ span.http.route = "/ord" }';
    const context = getCompletionContext(text, 25)!;
    expect(
      applyCompletion(text, context, {
        label: '/orders',
        insertText: '"/orders"',
      }),
    ).toEqual({ text: '{ span.http.route = "/orders" }', cursor: 29 });
  });
});
