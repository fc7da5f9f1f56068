/*
 * Log severity, normalised from the text or the OpenTelemetry severity number
 * (1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL).
 */
export type SeverityLevel =
  | 'fatal'
  | 'error'
  | 'warn'
  | 'info'
  | 'debug'
  | 'trace'
  | 'unknown';

const BY_TEXT: Record<string, SeverityLevel> = {
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  alert: 'fatal',
  error: 'error',
  err: 'error',
  severe: 'error',
  warn: 'warn',
  warning: 'warn',
  info: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  debug: 'debug',
  fine: 'debug',
  trace: 'trace',
  finer: 'trace',
  finest: 'trace',
  verbose: 'trace',
};

/** Order for comparisons: higher is more severe. */
export const SEVERITY_RANK: Record<SeverityLevel, number> = {
  unknown: 0,
  trace: 1,
  debug: 2,
  info: 3,
  warn: 4,
  error: 5,
  fatal: 6,
};

export function severityLevel(text?: string, number?: number): SeverityLevel {
  if (text) {
    // "ERROR2", "Warning:" and similar: compare the leading letters.
    const word = text
      .trim()
      .toLowerCase()
      .match(/^[a-z]+/)?.[0];
    const level = word ? BY_TEXT[word] : undefined;
    if (level) return level;
  }
  if (number !== undefined && number > 0) {
    if (number >= 21) return 'fatal';
    if (number >= 17) return 'error';
    if (number >= 13) return 'warn';
    if (number >= 9) return 'info';
    if (number >= 5) return 'debug';
    return 'trace';
  }
  return 'unknown';
}
