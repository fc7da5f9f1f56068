import { spreadExemplars } from './exemplars';

const at = (timestampMs: number, traceId?: string) => ({
  ...(traceId !== undefined && { traceId }),
  timestampMs,
  value: 1,
});

describe('spreadExemplars', () => {
  const ten = Array.from({ length: 10 }, (_, i) =>
    at(1000 * (10 - i), `t${10 - i}`),
  );

  it('sorts by time and keeps all within the limit', () => {
    expect(spreadExemplars(ten, 10).map(e => e.traceId)).toEqual([
      't1',
      't2',
      't3',
      't4',
      't5',
      't6',
      't7',
      't8',
      't9',
      't10',
    ]);
  });

  it('keeps the first and the last and spreads the rest evenly', () => {
    expect(spreadExemplars(ten, 4).map(e => e.traceId)).toEqual([
      't1',
      't4',
      't7',
      't10',
    ]);
    expect(spreadExemplars(ten, 1).map(e => e.traceId)).toEqual(['t10']);
    expect(spreadExemplars(ten, 0)).toEqual([]);
  });

  it('drops exemplars without a trace ID', () => {
    expect(spreadExemplars([at(1), at(2, 'a'), at(3, '')], 5)).toEqual([
      at(2, 'a'),
    ]);
  });
});
