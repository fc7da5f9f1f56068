import { fieldUses } from './fieldUses';

const summary = (query: string) =>
  fieldUses(query).map(use => ({
    scope: use.scope,
    name: use.name,
    intrinsic: use.intrinsic,
    role: use.role,
    operator: use.operator,
    comparedToNil: use.comparedToNil,
  }));

describe('fieldUses', () => {
  it('finds filters with their operator, quoted and unscoped names', () => {
    expect(
      summary(
        '{ span.http.request.header.authorization =~ "Bearer a.*" && ."we\\"ird" != nil && !(name = "x") }',
      ),
    ).toEqual([
      {
        scope: 'span',
        name: 'http.request.header.authorization',
        intrinsic: false,
        role: 'filter',
        operator: '=~',
        comparedToNil: false,
      },
      {
        scope: undefined,
        name: 'we"ird',
        intrinsic: false,
        role: 'filter',
        operator: '!=',
        comparedToNil: true,
      },
      {
        scope: undefined,
        name: 'name',
        intrinsic: true,
        role: 'filter',
        operator: '=',
        comparedToNil: false,
      },
    ]);
  });

  it('tells grouping, selecting and aggregating apart', () => {
    expect(
      summary(
        '{ } | select(span.a) | avg(span.b) > 1 | quantile_over_time(span.c, 0.9) by (resource.d, statusMessage)',
      ).map(use => [use.name, use.role]),
    ).toEqual([
      ['a', 'select'],
      ['b', 'aggregate'],
      ['c', 'aggregate'],
      ['d', 'group'],
      ['statusMessage', 'group'],
    ]);
  });

  it('sees fields inside structural operators and compare()', () => {
    expect(
      summary(
        '{ span.x = 1 } >> { event:name = "e" } | compare({ span.token = "t" })',
      ).map(use => [use.name, use.role, use.operator]),
    ).toEqual([
      ['x', 'filter', '='],
      ['event:name', 'filter', '='],
      ['token', 'filter', '='],
    ]);
  });

  it('counts a bare field and arithmetic as filters without a comparison', () => {
    expect(
      summary('{ span.flag && span.n + 1 > 2 }').map(use => [
        use.name,
        use.operator,
      ]),
    ).toEqual([
      ['flag', undefined],
      ['n', '+'],
    ]);
  });
});
