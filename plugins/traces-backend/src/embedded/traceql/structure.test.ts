import { makeSpan } from './__testUtils__/spans';
import { compileSearch } from './search';
import type { TraceQLSpan } from './types';

// r ─┬─ a ─┬─ a1
//    │     └─ a2
//    ├─ b ─── b1
//    └─ c
// r2            (a second root)
// o ─── o1      (o's parent is not in the trace: detached, as in Tempo's nested-set model)
// x ⇄ y         (a cycle)
const tree: TraceQLSpan[] = [
  makeSpan('r', { name: 'r', kind: 2 }),
  makeSpan('a', { name: 'a', kind: 3, parentSpanId: 'r' }),
  makeSpan('a1', { name: 'a1', kind: 1, parentSpanId: 'a' }),
  makeSpan('a2', { name: 'a2', kind: 1, parentSpanId: 'a', statusCode: 2 }),
  makeSpan('b', { name: 'b', kind: 3, parentSpanId: 'r' }),
  makeSpan('b1', { name: 'b1', kind: 1, parentSpanId: 'b' }),
  makeSpan('c', { name: 'c', kind: 3, parentSpanId: 'r' }),
  makeSpan('r2', { name: 'r2', kind: 2 }),
  makeSpan('o', { name: 'o', kind: 3, parentSpanId: 'missing' }),
  makeSpan('o1', { name: 'o1', kind: 1, parentSpanId: 'o' }),
  makeSpan('x', { name: 'x', kind: 5, parentSpanId: 'y' }),
  makeSpan('y', { name: 'y', kind: 5, parentSpanId: 'x' }),
];

function matched(query: string, spans = tree): string[] {
  const sets = compileSearch(query, {}).evaluate({ spans });
  return (sets[0] ?? []).map(span => span.spanId).sort();
}

describe('structural operators', () => {
  it.each([
    ['{ name = "r" } >> { kind = internal }', ['a1', 'a2', 'b1']],
    ['{ name = "a" } > { kind = internal }', ['a1', 'a2']],
    ['{ kind = internal } < { kind = client }', ['a', 'b']],
    ['{ kind = internal } << { }', ['a', 'b', 'r']],
    ['{ name = "a1" } ~ { }', ['a2']],
    ['{ kind = client } ~ { kind = client }', ['a', 'b', 'c']],
    ['{ name = "a" } ~ { name = "a" }', []], // a span is not its own sibling
    ['{ name = "r" } ~ { kind = server }', ['r2']], // roots are siblings
    ['{ name = "o" } > { }', []], // detached spans take no part
    ['{ kind = consumer } >> { kind = consumer }', []], // nor do cycles
    ['{ name = "nope" } >> { }', []],
    ['{ name = "r" } >> { name = "nope" }', []],
  ])('%s', (query, expected) => {
    expect(matched(query)).toEqual(expected);
  });

  it.each([
    ['{ name = "a" } !>> { kind = internal }', ['b1', 'o1']],
    ['{ name = "a" } !> { kind = internal }', ['b1', 'o1']],
    ['{ kind = internal } !< { kind = client }', ['c', 'o']],
    [
      '{ name = "a2" } !<< { kind != consumer }',
      ['a1', 'a2', 'b', 'b1', 'c', 'o', 'o1', 'r2'],
    ],
    ['{ name = "a1" } !~ { kind = internal }', ['a1', 'b1', 'o1']],
    ['{ name = "nope" } !>> { }', []], // the left-hand side must match something
  ])('negated: %s', (query, expected) => {
    expect(matched(query)).toEqual(expected);
  });

  it.each([
    ['{ name = "a" } &>> { kind = internal }', ['a', 'a1', 'a2']],
    ['{ name = "r" } &> { kind = client }', ['a', 'b', 'c', 'r']],
    ['{ kind = internal } &< { name = "a" }', ['a', 'a1', 'a2']],
    ['{ kind = internal } &<< { name = "r" }', ['a1', 'a2', 'b1', 'r']],
    ['{ name = "a1" } &~ { kind = internal }', ['a1', 'a2']],
    ['{ name = "c" } &>> { }', []],
  ])('union: %s', (query, expected) => {
    expect(matched(query)).toEqual(expected);
  });

  it.each([
    // Structural operators bind tighter than && and ||, as in Tempo's grammar.
    [
      '{ name = "a" } > { kind = internal } && { name = "b" }',
      ['a1', 'a2', 'b'],
    ],
    [
      '{ name = "b" } || { name = "a" } > { kind = internal }',
      ['a1', 'a2', 'b'],
    ],
    [
      '({ name = "b" } || { name = "a" }) > { kind = internal }',
      ['a1', 'a2', 'b1'],
    ],
    [
      '{ name = "x" } && { name = "a" } > { kind = internal }',
      ['a1', 'a2', 'x'],
    ],
    // Left to right.
    [
      '{ name = "r" } > { kind = client } > { kind = internal }',
      ['a1', 'a2', 'b1'],
    ],
    ['{ name = "r" } > ({ kind = client } > { kind = internal })', []],
    ['{ status = error } < { } < { }', ['r']],
  ])('precedence: %s', (query, expected) => {
    expect(matched(query)).toEqual(expected);
  });

  it('asks for the whole trace', () => {
    expect(compileSearch('{ } >> { }', {}).needs.wholeTrace).toBe(true);
    expect(compileSearch('{ } && { }', {}).needs.wholeTrace).toBe(false);
  });
});
