import { outsideParent } from './clockSkew';
import { makeTrace } from './testTraces';
import { buildWaterfallModel } from './waterfallModel';

const model = buildWaterfallModel(
  makeTrace([
    { spanId: 'root', startMs: 10, durationMs: 100, kind: 'server' },
    // inside its parent
    { spanId: 'in', parentSpanId: 'root', startMs: 20, durationMs: 10 },
    // starts 4 ms before its parent (another host's clock)
    {
      spanId: 'early',
      parentSpanId: 'root',
      startMs: 6,
      durationMs: 10,
      serviceName: 'orders-api',
    },
    // ends 15 ms after its parent
    { spanId: 'late', parentSpanId: 'root', startMs: 100, durationMs: 25 },
    {
      spanId: 'publish',
      parentSpanId: 'root',
      startMs: 50,
      durationMs: 2,
      kind: 'producer',
    },
    // a consumer outliving its producer is asynchronous by design
    {
      spanId: 'consume',
      parentSpanId: 'publish',
      startMs: 60,
      durationMs: 80,
      kind: 'consumer',
      serviceName: 'payments-worker',
    },
  ]),
);
const of = (spanId: string) => outsideParent(model, model.indexOf(spanId)!);

describe('outsideParent', () => {
  it('says how far a child starts before or ends after its parent', () => {
    expect(of('early')).toEqual({ startsBeforeMs: 4, endsAfterMs: 0 });
    expect(of('late')!.startsBeforeMs).toBe(0);
    expect(of('late')!.endsAfterMs).toBeCloseTo(15);
  });

  it('says nothing for roots, children inside their parent and consumers of a producer', () => {
    expect(of('root')).toBeUndefined();
    expect(of('in')).toBeUndefined();
    expect(of('consume')).toBeUndefined();
  });
});
