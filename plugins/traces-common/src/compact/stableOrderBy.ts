/**
 * Indexes 0..n-1 ordered by `keys`, stable: a bottom-up merge sort over typed arrays that
 * yields between slices of work, so a million spans never block the event loop for long.
 */
export function* stableOrderBy(
  keys: Float64Array,
): Generator<void, Int32Array> {
  const n = keys.length;
  let from = new Int32Array(n);
  let to = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  yield;
  // Runs already in order are common (spans of one batch): skip the sort when all are.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = keys[i - 1] <= keys[i];
  if (sorted) return from;
  let work = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        to[k++] = keys[from[j]] < keys[from[i]] ? from[j++] : from[i++];
      }
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
      work += hi - lo;
      if (work >= 262144) {
        work = 0;
        yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
