import { buildWaterfallModel } from './waterfallModel';
import { matchMask, parseSearchQuery, searchSpans } from './spanSearch';
import { checkoutTrace, makeTrace } from './testTraces';

const model = buildWaterfallModel(checkoutTrace());
const find = (query: string) =>
  Array.from(searchSpans(model, query), r => model.spans[r].spanId.slice(-1));

describe('searchSpans', () => {
  it('matches span names case-insensitively', () => {
    expect(find('select')).toEqual(['4']);
    expect(find('POST /')).toEqual(['2', '5']);
    expect(find('verify')).toEqual(['2']);
  });

  it('matches service names and span IDs', () => {
    expect(find('payments')).toEqual(['5']);
    expect(find('aaaaaaaaaaaaaaa3')).toEqual(['3']);
  });

  it('matches attribute keys and values of any type', () => {
    expect(find('db.system')).toEqual(['4']);
    expect(find('postgres')).toEqual(['4']);
    expect(find('500')).toEqual(['3']);
  });

  it('matches key=value against one attribute', () => {
    expect(find('status_code=50')).toEqual(['3']);
    expect(find('status_code=200')).toEqual([]);
    expect(find('cart.id=')).toEqual(['3']);
  });

  it('requires every term to match, and keeps quoted phrases together', () => {
    expect(find('cart 500')).toEqual(['3']);
    expect(find('cart payments')).toEqual([]);
    expect(find('"GET cart"')).toEqual(['3']);
    expect(find('"cart GET"')).toEqual([]);
  });

  it('treats regular-expression characters literally', () => {
    expect(find('/checkout')).toEqual(['1']);
    expect(find('(.*)')).toEqual([]);
  });

  it('returns nothing for an empty query', () => {
    expect(find('   ')).toEqual([]);
    expect(parseSearchQuery('')).toEqual([]);
  });

  it('searches structured attribute values as JSON', () => {
    const m = buildWaterfallModel(
      makeTrace([
        {
          spanId: 's',
          startMs: 0,
          durationMs: 1,
          attributes: {
            tags: ['blue', 'green'],
            nested: { region: 'eu' },
            empty: null,
          },
        },
      ]),
    );
    expect(searchSpans(m, 'green')).toEqual(new Int32Array([0]));
    expect(searchSpans(m, 'region')).toEqual(new Int32Array([0]));
    expect(searchSpans(m, 'empty=null')).toEqual(new Int32Array([0]));
  });
});

describe('matchMask', () => {
  it('marks the given rows', () => {
    expect(Array.from(matchMask(4, new Int32Array([1, 3])))).toEqual([
      0, 1, 0, 1,
    ]);
  });
});
