import { FLAG_ERROR, type WaterfallModel } from './waterfallModel';

/*
 * The minimap as a raster: x is time over the whole trace, y is the position among the visible
 * rows, squeezed into `height` pixel lines. Each pixel counts the spans covering it. Spans are
 * added as +1/-1 at their ends in a per-line difference array and summed once per line, so the
 * cost is O(rows + width × height) whatever the span durations: 100k spans stay a few ms.
 */

export interface MinimapRaster {
  width: number;
  height: number;
  /** Spans covering each pixel, row-major. */
  cover: Uint32Array;
  /** Error spans covering each pixel. */
  errors: Uint32Array;
  maxCover: number;
}

export function rasterizeMinimap(
  model: WaterfallModel,
  rows: Int32Array,
  width: number,
  height: number,
): MinimapRaster {
  const w = Math.max(1, Math.floor(width));
  const h = Math.max(1, Math.floor(height));
  const stride = w + 1;
  const diff = new Int32Array(h * stride);
  const errDiff = new Int32Array(h * stride);
  const count = rows.length;
  const scale = w / model.durationMs;
  for (let p = 0; p < count; p++) {
    const r = rows[p];
    let x0 = Math.floor(model.startMs[r] * scale);
    let x1 = Math.ceil(model.endMs[r] * scale);
    if (x0 < 0) x0 = 0;
    if (x0 > w - 1) x0 = w - 1;
    if (x1 > w) x1 = w;
    if (x1 <= x0) x1 = x0 + 1;
    const y0 = Math.floor((p * h) / count);
    const y1 = Math.max(y0 + 1, Math.floor(((p + 1) * h) / count));
    const isError = model.flags[r] & FLAG_ERROR;
    for (let y = y0; y < y1; y++) {
      diff[y * stride + x0]++;
      diff[y * stride + x1]--;
      if (isError) {
        errDiff[y * stride + x0]++;
        errDiff[y * stride + x1]--;
      }
    }
  }
  const cover = new Uint32Array(w * h);
  const errors = new Uint32Array(w * h);
  let maxCover = 0;
  for (let y = 0; y < h; y++) {
    let c = 0;
    let e = 0;
    for (let x = 0; x < w; x++) {
      c += diff[y * stride + x];
      e += errDiff[y * stride + x];
      cover[y * w + x] = c;
      errors[y * w + x] = e;
      if (c > maxCover) maxCover = c;
    }
  }
  return { width: w, height: h, cover, errors, maxCover };
}

/** RGBA pixels: covered pixels in `base`, stronger where more spans overlap; errors in `error`. */
export function paintMinimap(
  raster: MinimapRaster,
  base: [number, number, number],
  error: [number, number, number],
): Uint8ClampedArray {
  const { cover, errors, maxCover } = raster;
  const out = new Uint8ClampedArray(cover.length * 4);
  // Alpha per coverage count, computed once: a single span is clearly visible, denser areas
  // darken on a log scale (no Math.log per pixel).
  const logMax = Math.log(maxCover + 1) || 1;
  const alphaOf = new Uint8Array(maxCover + 1);
  for (let c = 1; c <= maxCover; c++)
    alphaOf[c] = 110 + Math.round((145 * Math.log(c + 1)) / logMax);
  for (let i = 0; i < cover.length; i++) {
    const c = cover[i];
    if (c === 0) continue;
    const isError = errors[i] > 0;
    const rgb = isError ? error : base;
    const o = i * 4;
    out[o] = rgb[0];
    out[o + 1] = rgb[1];
    out[o + 2] = rgb[2];
    out[o + 3] = isError ? 255 : alphaOf[c];
  }
  return out;
}

/** `#rrggbb` or `rgb(r, g, b)` to a triple; grey for anything else. */
export function parseColor(color: string): [number, number, number] {
  const hex = color.trim().match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (hex) {
    const h = hex[1].length === 3 ? hex[1].replace(/./g, c => c + c) : hex[1];
    return [
      parseInt(h.slice(0, 2), 16),
      parseInt(h.slice(2, 4), 16),
      parseInt(h.slice(4, 6), 16),
    ];
  }
  const rgb = color.match(/rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return [128, 128, 128];
}
