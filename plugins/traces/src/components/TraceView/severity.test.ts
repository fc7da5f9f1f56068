import { severityLevel, SEVERITY_RANK } from './severity';

describe('severityLevel', () => {
  it('reads common severity texts in any case', () => {
    expect(severityLevel('ERROR')).toBe('error');
    expect(severityLevel('Warning')).toBe('warn');
    expect(severityLevel('warn')).toBe('warn');
    expect(severityLevel('CRITICAL')).toBe('fatal');
    expect(severityLevel('info')).toBe('info');
    expect(severityLevel('DEBUG2')).toBe('debug');
    expect(severityLevel('finest')).toBe('trace');
  });

  it('falls back to the OpenTelemetry severity number', () => {
    expect(severityLevel(undefined, 3)).toBe('trace');
    expect(severityLevel('', 9)).toBe('info');
    expect(severityLevel('custom', 17)).toBe('error');
    expect(severityLevel(undefined, 24)).toBe('fatal');
  });

  it('is unknown without either', () => {
    expect(severityLevel()).toBe('unknown');
    expect(severityLevel('???', 0)).toBe('unknown');
  });

  it('ranks fatal above error above warn', () => {
    expect(SEVERITY_RANK.fatal).toBeGreaterThan(SEVERITY_RANK.error);
    expect(SEVERITY_RANK.error).toBeGreaterThan(SEVERITY_RANK.warn);
  });
});
