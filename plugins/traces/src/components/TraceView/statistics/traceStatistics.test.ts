import { buildWaterfallModel } from '../waterfallModel';
import { makeTrace } from '../testTraces';
import {
  attributeKeys,
  computeStatistics,
  NO_VALUE,
  sortStatistics,
} from './traceStatistics';

/*
 *   root  web  GET /checkout  0..100
 *   ├ q1  db   SELECT         10..30   (http.route absent)
 *   ├ q2  db   SELECT         20..60   error
 *   └ q3  db   INSERT         70..75
 */
const model = buildWaterfallModel(
  makeTrace(
    [
      {
        spanId: 'root',
        name: 'GET /checkout',
        serviceName: 'web',
        startMs: 0,
        durationMs: 100,
        kind: 'server',
        attributes: { 'http.route': '/checkout' },
      },
      {
        spanId: 'q1',
        parentSpanId: 'root',
        name: 'SELECT',
        serviceName: 'db',
        startMs: 10,
        durationMs: 20,
        kind: 'client',
        attributes: { 'db.system': 'postgresql' },
      },
      {
        spanId: 'q2',
        parentSpanId: 'root',
        name: 'SELECT',
        serviceName: 'db',
        startMs: 20,
        durationMs: 40,
        kind: 'client',
        status: { code: 'error' },
        attributes: { 'db.system': 'postgresql' },
      },
      {
        spanId: 'q3',
        parentSpanId: 'root',
        name: 'INSERT',
        serviceName: 'db',
        startMs: 70,
        durationMs: 5,
        kind: 'client',
        attributes: { 'db.system': 'postgresql' },
      },
    ],
    { resources: [{ serviceName: 'web', attributes: { region: 'eu' } }] },
  ),
);

describe('computeStatistics', () => {
  it('sums count, total, average, min, max, self time and errors per service', () => {
    const rows = computeStatistics(model, [{ kind: 'service' }]);
    const db = rows.find(r => r.values[0] === 'db')!;
    expect(db).toMatchObject({
      count: 3,
      totalMs: 65,
      minMs: 5,
      maxMs: 40,
      selfMs: 65,
      errors: 1,
    });
    expect(db.avgMs).toBeCloseTo(65 / 3);
    expect(model.spans[db.longestRow].spanId).toBe('q2');
    const web = rows.find(r => r.values[0] === 'web')!;
    // children cover 10..60 and 70..75 of the root's 100 ms
    expect(web.selfMs).toBe(45);
    expect(web.errors).toBe(0);
  });

  it('groups by service and operation', () => {
    const rows = computeStatistics(model, [
      { kind: 'service' },
      { kind: 'operation' },
    ]);
    expect(rows.map(r => [r.values.join(' '), r.count])).toEqual([
      ['web GET /checkout', 1],
      ['db SELECT', 2],
      ['db INSERT', 1],
    ]);
  });

  it('groups by a span attribute, falling back to the resource, else (none)', () => {
    const byDb = computeStatistics(model, [
      { kind: 'attribute', key: 'db.system' },
    ]);
    expect(byDb.map(r => [r.values[0], r.count])).toEqual([
      [NO_VALUE, 1],
      ['postgresql', 3],
    ]);
    const byRegion = computeStatistics(model, [
      { kind: 'attribute', key: 'region' },
    ]);
    expect(byRegion.map(r => [r.values[0], r.count])).toEqual([
      ['eu', 1],
      [NO_VALUE, 3],
    ]);
    expect(
      computeStatistics(model, [{ kind: 'spanKind' }]).map(r => r.values[0]),
    ).toEqual(['server', 'client']);
  });

  it('sorts by a number or a group column, either way', () => {
    const rows = computeStatistics(model, [
      { kind: 'service' },
      { kind: 'operation' },
    ]);
    const by = (column: any, direction: 'asc' | 'desc') =>
      sortStatistics(rows, { column, direction }).map(r => r.values[1]);
    expect(by('totalMs', 'desc')).toEqual([
      'GET /checkout',
      'SELECT',
      'INSERT',
    ]);
    expect(by('maxMs', 'asc')).toEqual(['INSERT', 'SELECT', 'GET /checkout']);
    expect(by('errors', 'desc')[0]).toBe('SELECT');
    expect(by({ value: 1 }, 'asc')).toEqual([
      'GET /checkout',
      'INSERT',
      'SELECT',
    ]);
  });
});

describe('attributeKeys', () => {
  it('lists span and resource attribute keys once, sorted', () => {
    expect(attributeKeys(model)).toEqual([
      'db.system',
      'http.route',
      'region',
      'service.name',
    ]);
  });
});
