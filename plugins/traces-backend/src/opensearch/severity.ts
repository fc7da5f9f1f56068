/**
 * OpenTelemetry severities: numbers 1-24 in six ranges of four
 * (logs data model, "Field: SeverityNumber"), named by their short names.
 */
const RANGES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export type SeverityName = (typeof RANGES)[number];

/** `17` → `ERROR`; undefined for 0 (UNSPECIFIED) and anything outside 1-24. */
export function severityNameOfNumber(value: number): SeverityName | undefined {
  if (!Number.isInteger(value) || value < 1 || value > 24) return undefined;
  return RANGES[Math.floor((value - 1) / 4)];
}

/**
 * Level names of common logging libraries (OTel short names with the TRACE2..FATAL4 suffix,
 * syslog, log4j/logback, java.util.logging, Python, .NET, Go), mapped to the first number
 * of their OTel range.
 */
const TEXT_TO_NUMBER: Record<string, number> = {
  TRACE: 1,
  FINEST: 1,
  FINER: 1,
  VERBOSE: 1,
  DEBUG: 5,
  FINE: 5,
  CONFIG: 5,
  INFO: 9,
  INFORMATION: 9,
  INFORMATIONAL: 9,
  NOTICE: 10,
  WARN: 13,
  WARNING: 13,
  ERROR: 17,
  ERR: 17,
  SEVERE: 17,
  FATAL: 21,
  CRITICAL: 21,
  CRIT: 21,
  ALERT: 22,
  EMERG: 23,
  EMERGENCY: 23,
  PANIC: 23,
};

/** The OTel severity number a level name stands for, or undefined for unknown names. */
export function severityNumberOfText(text: string): number | undefined {
  const normalized = text.trim().toUpperCase();
  const exact = TEXT_TO_NUMBER[normalized];
  if (exact !== undefined) return exact;
  // OTel short names carry a 2-4 suffix within their range: "ERROR2" is 18.
  const suffixed = /^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)([1-4])$/.exec(
    normalized,
  );
  if (suffixed) {
    return (
      RANGES.indexOf(suffixed[1] as SeverityName) * 4 + Number(suffixed[2])
    );
  }
  return undefined;
}

/**
 * The most severe of several level texts, as an OTel short name (`warning` → `WARN`).
 * Unknown names lose against any known one; with only unknown names, the first one wins.
 */
export function highestSeverityOfTexts(texts: string[]): string | undefined {
  let best: { number: number; name: string } | undefined;
  for (const text of texts) {
    const number = severityNumberOfText(text);
    if (number !== undefined && (!best || number > best.number)) {
      best = { number, name: severityNameOfNumber(number)! };
    }
  }
  return best?.name ?? texts.find(text => text.trim() !== '')?.trim();
}
