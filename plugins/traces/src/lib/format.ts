/** Display formatting shared by the list, the summary and the graph. */

/** A duration in ms with units that keep 2–3 significant digits: `850µs`, `12.3ms`, `4.2s`, `3m 20s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs === 0) return '0ms';
  if (abs < 1) return `${trim(ms * 1000, abs * 1000 < 10 ? 1 : 0)}µs`;
  if (abs < 999.5) return `${trim(ms, significantDecimals(abs))}ms`;
  if (abs < 60_000) return `${trim(ms / 1000, abs < 10_000 ? 2 : 1)}s`;
  if (abs < 3_600_000) {
    const m = Math.floor(abs / 60_000);
    const s = Math.round((abs % 60_000) / 1000);
    return `${ms < 0 ? '-' : ''}${m}m${s ? ` ${s}s` : ''}`;
  }
  const h = Math.floor(abs / 3_600_000);
  const m = Math.round((abs % 3_600_000) / 60_000);
  return `${ms < 0 ? '-' : ''}${h}h${m ? ` ${m}m` : ''}`;
}

/** Decimals that keep about three significant digits for values below 1000. */
function significantDecimals(abs: number): number {
  if (abs < 10) return 2;
  return abs < 100 ? 1 : 0;
}

function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** The unit of rates shown together (one card): per second, minute or hour. */
export type RateUnit = 's' | 'min' | 'h';
const SECONDS_PER: Record<RateUnit, number> = { s: 1, min: 60, h: 3600 };

/** The largest unit in which `perSecond` is at least 1 (per hour below one a minute). */
export function rateUnitFor(perSecond: number): RateUnit {
  if (perSecond >= 1) return 's';
  if (perSecond * 60 >= 1) return 'min';
  return 'h';
}

/** A rate in a given unit, so that figures side by side compare: 0.5/s in 'min' → `30/min`. */
export function formatRateIn(perSecond: number, unit: RateUnit): string {
  if (!Number.isFinite(perSecond)) return '–';
  return `${compact(perSecond * SECONDS_PER[unit])}/${unit}`;
}

function compact(value: number): string {
  if (value >= 1_000_000) return `${trim(value / 1_000_000, 1)}M`;
  if (value >= 10_000) return `${trim(value / 1000, 0)}k`;
  if (value >= 1000) return `${trim(value / 1000, 1)}k`;
  if (value >= 100) return trim(value, 0);
  if (value >= 10) return trim(value, 1);
  return trim(value, 2);
}

/** A count: 1234 → `1.2k`. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? compact(value) : '–';
}

/** A ratio 0..1 as a percentage, with a decimal below 10%: `0.35%`, `4.2%`, `37%`. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  if (pct === 0) return '0%';
  if (pct < 1) return `${trim(pct, 2)}%`;
  if (pct < 10) return `${trim(pct, 1)}%`;
  return `${Math.round(pct)}%`;
}

/** Local date and time to the second, e.g. `2026-11-20 14:03:07`, from an ISO or epoch-ms time. */
export function formatTimestamp(time: string | number): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return String(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(
    d.getHours(),
  )}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `3 minutes ago`-style relative time against `nowMs`. */
export function formatRelativeTime(
  time: string | number,
  nowMs: number,
): string {
  const t = new Date(time).getTime();
  if (Number.isNaN(t)) return '';
  const seconds = Math.round((nowMs - t) / 1000);
  if (seconds < 0) return 'in the future';
  if (seconds < 60) return 'just now';
  const unit = (n: number, word: string) =>
    `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (seconds < 3600) return unit(Math.floor(seconds / 60), 'minute');
  if (seconds < 86_400) return unit(Math.floor(seconds / 3600), 'hour');
  return unit(Math.floor(seconds / 86_400), 'day');
}
