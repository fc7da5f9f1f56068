import { tenantIdProblem } from './tenantId';

describe('tenantIdProblem', () => {
  it.each(['team-shop', "a!b_c.d*e'f(g)", 'a|b', 'x'.repeat(150)])(
    'accepts %j',
    value => expect(tenantIdProblem(value)).toBeUndefined(),
  );

  it.each([
    ['team\r\nX-Evil: 1', /"\\r" \(U\+000D\) is not allowed/],
    ['équipe', /"é" \(U\+00E9\) is not allowed/],
    ['team a', /" " \(U\+0020\) is not allowed/],
    ['a/b', /"\/" \(U\+002F\) is not allowed/],
    ['a||b', /empty tenant ID/],
    ['x'.repeat(151), /longer than 150 characters/],
    ['..', /'\.\.' is not a tenant ID/],
    ['a|.', /'\.' is not a tenant ID/],
  ])('refuses %j', (value, problem) => {
    expect(tenantIdProblem(value)).toMatch(problem);
  });
});
