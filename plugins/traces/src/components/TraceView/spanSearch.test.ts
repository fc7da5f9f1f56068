import { buildWaterfallModel } from './waterfallModel';
import {
  matchMask,
  matchPlaces,
  parseSearchQuery,
  searchSpans,
} from './spanSearch';
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

describe('searching beyond names and span attributes', () => {
  const trace = makeTrace(
    [
      {
        spanId: 'a',
        startMs: 0,
        durationMs: 10,
        serviceName: 'orders-api',
        name: 'POST /orders',
        status: { code: 'error', message: 'payment declined: card expired' },
        events: [
          {
            name: 'exception',
            timeUnixNano: '1',
            offsetMs: 9,
            attributes: {
              'exception.type': 'PaymentDeclinedException',
              'exception.message': 'Insufficient funds on card 4242',
            },
          },
        ],
      },
      {
        spanId: 'b',
        parentSpanId: 'a',
        startMs: 1,
        durationMs: 2,
        serviceName: 'orders-api',
        events: [
          {
            name: 'cache miss',
            timeUnixNano: '1',
            offsetMs: 2,
            attributes: {},
          },
        ],
      },
      { spanId: 'c', startMs: 3, durationMs: 2, serviceName: 'frontend' },
    ],
    {
      resources: [
        {
          serviceName: 'orders-api',
          attributes: {
            'service.name': 'orders-api',
            'k8s.pod.name': 'orders-api-7f9c6d5b8-x2x4q',
          },
        },
      ],
    },
  );
  const m = buildWaterfallModel(trace);
  const ids = (query: string) =>
    Array.from(searchSpans(m, query), r => m.spans[r].spanId);
  const where = (query: string, spanId: string) =>
    matchPlaces(m, m.indexOf(spanId)!, query);

  it('finds status messages', () => {
    expect(ids('card expired')).toEqual(['a']);
    expect(where('expired', 'a')).toEqual(['status message']);
  });

  it('finds event names, event attributes and exception messages', () => {
    expect(ids('"insufficient funds"')).toEqual(['a']);
    expect(where('"insufficient funds"', 'a')).toEqual([
      'event "exception" exception.message',
    ]);
    expect(ids('cache')).toEqual(['b']);
    expect(where('cache', 'b')).toEqual(['event "cache miss"']);
    expect(ids('exception.type=Declined')).toEqual(['a']);
  });

  it('finds resource attributes, for every span of the resource', () => {
    expect(ids('x2x4q')).toEqual(['a', 'b']);
    expect(ids('k8s.pod.name=7f9c')).toEqual(['a', 'b']);
    expect(where('x2x4q', 'b')).toEqual(['resource k8s.pod.name']);
  });

  it('says where each term matched, once per place', () => {
    expect(where('orders-api POST', 'a')).toEqual(['service', 'name']);
    expect(where('POST /orders', 'a')).toEqual(['name']);
    expect(where('nowhere', 'a')).toEqual([]);
  });
});

describe('matchMask', () => {
  it('marks the given rows', () => {
    expect(Array.from(matchMask(4, new Int32Array([1, 3])))).toEqual([
      0, 1, 0, 1,
    ]);
  });
});
