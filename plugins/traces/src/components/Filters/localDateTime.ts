/** Conversions for `<input type="datetime-local">`, whose value is wall-clock time without a zone. */

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch milliseconds → `YYYY-MM-DDTHH:mm` in the browser's time zone. */
export function toLocalInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(
    d.getHours(),
  )}:${pad(d.getMinutes())}`;
}

/** `YYYY-MM-DDTHH:mm[:ss]` in the browser's time zone → epoch milliseconds, or undefined. */
export function fromLocalInputValue(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(
    value,
  );
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const date = new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  return Number.isNaN(date.getTime()) ? undefined : date.getTime();
}
