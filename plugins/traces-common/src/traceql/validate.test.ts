import { isMetricsQuery, validateTraceQL } from './validate';

describe('validateTraceQL', () => {
  it.each([
    '',
    '  ',
    '{}',
    '{ resource.service.name = "a" && status = error }',
    '{ span."http route" = `/x` } >> { } | select(span.http.status_code)',
    '{ } | rate() by (span.http.route)',
    '{ } | quantile_over_time(duration, 0.99, 0.5)',
    '{ duration > 1.5s } | count() > 2 with (most_recent=true)',
    '{ .a = "multi\\"quoted\\\\" }\n| select(.b)',
  ])('accepts %j', query => {
    expect(validateTraceQL(query)).toEqual({ valid: true });
  });

  it.each([
    ['{ resource.service.name = }', 26, 27, "Unexpected '}' at column 27"],
    ['{ span.http.route = "/x" ', 0, 1, 'Unclosed { at column 1'],
    ['{ .a = (1 }', 7, 11, 'Unclosed ( at column 8: found } at column 11'],
    ['{ .a = 1 })', 10, 11, 'Unexpected ) without a matching ( at column 11'],
    ['{ .a = "x }', 7, 8, 'Unterminated string at column 8'],
    ['{ .a = `x }', 7, 8, 'Unterminated string at column 8'],
    [
      '{ .a = "x\\ny" }',
      9,
      11,
      'Unsupported escape \\n in a string (only \\" and \\\\ are allowed) at column 10',
    ],
    ['{ .a = 1 } |', 12, 12, 'Unexpected end of query at column 13'],
    ['{ .a = 1 } | rate(', 17, 18, "Unexpected '(' at column 18"],
    [
      '{ } | quantile_over_time(duration, .99)',
      35,
      36,
      "Unexpected '.' (write decimals with a leading zero, such as 0.99) at column 36",
    ],
    [
      'rate()',
      0,
      6,
      "A pipeline must start with a spanset filter such as { }, found 'rate()' at column 1",
    ],
    [
      '{ .a = 1 }\n  /* note */',
      13,
      23,
      'Comments are not supported at line 2, column 3',
    ],
    [
      '{ .a = $x }',
      7,
      9,
      "Template variable '$x' is not supported at column 8",
    ],
    [
      '{ .a = 1 }\u2003',
      10,
      11,
      "Unexpected character '\u2003' (U+2003) at column 11",
    ],
    [
      '{ .a = "x\ny" }',
      7,
      12,
      'Line break in a "…" string (use a `…` string for multi-line values) at line 1, column 8',
    ],
  ])('reports %j', (query, from, to, message) => {
    expect(validateTraceQL(query)).toEqual({ valid: false, from, to, message });
  });
});

describe('isMetricsQuery', () => {
  it.each([
    '{ } | rate()',
    '{ status = error } | count_over_time() by (resource.service.name)',
    '{ } | quantile_over_time(duration, 0.99)',
    '{ } | histogram_over_time(duration)',
    '{ } | avg_over_time(span.size)',
    '{ } | compare({ status = error })',
    '{ } | rate() by (span.http.route) | topk(3)',
  ])('is true for %s', query => {
    expect(isMetricsQuery(query)).toBe(true);
  });

  it.each([
    '',
    '{ }',
    '{ .rate = "rate()" }',
    '{ } | count() > 2',
    '{ } | select(span.count_over_time)',
    '{ name = "quantile_over_time" } >> { }',
  ])('is false for %j', query => {
    expect(isMetricsQuery(query)).toBe(false);
  });
});
