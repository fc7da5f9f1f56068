/** `from`/`to` as a deep link carries them (epoch ms) → the API's epoch seconds. */
export function linkRange(
  params: URLSearchParams,
): { start: number; end: number } | undefined {
  const from = Number(params.get('from') ?? NaN);
  const to = Number(params.get('to') ?? NaN);
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
    return undefined;
  }
  return { start: Math.floor(from / 1000), end: Math.ceil(to / 1000) };
}
