import { buildFilterCondition } from '@backstage-traces/plugin-traces-common';
import { DEFAULT_FILTERS } from './filterState';
import { filtersQuery, searchQuery } from './searchQuery';

describe('searchQuery', () => {
  it('sends an empty spanset filter when no filter is set', () => {
    expect(searchQuery(DEFAULT_FILTERS)).toBe('{ }');
  });

  it('wraps the shared filter condition in braces', () => {
    const filters = {
      ...DEFAULT_FILTERS,
      errorsOnly: true,
      minDuration: '250ms',
      httpRoute: '/orders/{id}',
      spanName: 'GET "x"',
    };
    const condition = buildFilterCondition({
      errorsOnly: true,
      minDuration: '250ms',
      httpRoute: '/orders/{id}',
      spanName: 'GET "x"',
    });
    expect(condition).toBeDefined();
    expect(filtersQuery(filters)).toBe(`{ ${condition} }`);
    expect(searchQuery(filters)).toBe(`{ ${condition} }`);
    expect(filtersQuery(filters)).toContain('status = error');
    expect(filtersQuery(filters)).toContain('"/orders/{id}"');
    expect(filtersQuery(filters)).toContain('"GET \\"x\\""');
  });

  it("sends the user's TraceQL instead of the filter fields", () => {
    expect(
      searchQuery({
        ...DEFAULT_FILTERS,
        errorsOnly: true,
        traceql: ' { kind = client } ',
      }),
    ).toBe('{ kind = client }');
  });
});
