import {
  highestSeverityOfTexts,
  severityNameOfNumber,
  severityNumberOfText,
} from './severity';

describe('severities', () => {
  it.each([
    [1, 'TRACE'],
    [4, 'TRACE'],
    [5, 'DEBUG'],
    [8, 'DEBUG'],
    [9, 'INFO'],
    [12, 'INFO'],
    [13, 'WARN'],
    [16, 'WARN'],
    [17, 'ERROR'],
    [20, 'ERROR'],
    [21, 'FATAL'],
    [24, 'FATAL'],
  ])('names number %i %s', (number, name) => {
    expect(severityNameOfNumber(number)).toBe(name);
  });

  it.each([0, 25, -1, 9.5, NaN])('has no name for %s', number => {
    expect(severityNameOfNumber(number)).toBeUndefined();
  });

  it.each([
    ['ERROR', 17],
    ['error', 17],
    ['ERROR3', 19],
    ['Warning', 13],
    ['Information', 9],
    ['SEVERE', 17],
    ['CRITICAL', 21],
    ['fine', 5],
    [' info ', 9],
  ])('reads the level text %j as %i', (text, number) => {
    expect(severityNumberOfText(text)).toBe(number);
  });

  it('ranks texts by level and names the winner by its OTel short name', () => {
    expect(highestSeverityOfTexts(['INFO', 'warning', 'DEBUG'])).toBe('WARN');
    expect(highestSeverityOfTexts(['Information', 'error', 'WARN'])).toBe(
      'ERROR',
    );
    expect(highestSeverityOfTexts(['custom', 'INFO'])).toBe('INFO');
    expect(highestSeverityOfTexts(['custom', 'other'])).toBe('custom');
    expect(highestSeverityOfTexts([])).toBeUndefined();
  });
});
