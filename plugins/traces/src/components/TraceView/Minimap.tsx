import { memo, useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import Box from '@mui/material/Box';
import { alpha, useTheme } from '@mui/material/styles';
import type { WaterfallModel } from './waterfallModel';
import { paintMinimap, parseColor, rasterizeMinimap } from './minimapRaster';
import type { TimeRange } from './timeAxis';

export interface MinimapProps {
  model: WaterfallModel;
  /** Visible rows of the waterfall, in display order. */
  rows: Int32Array;
  /** First and last row positions currently in the waterfall's viewport. */
  firstVisible: number;
  lastVisible: number;
  /** The zoomed time window of the waterfall, shaded outside. */
  viewRange?: TimeRange;
  /** Scroll the waterfall so that this row position is centred. */
  onScrollTo: (position: number) => void;
  height?: number;
}

/**
 * Overview of the whole trace: time across, rows down, drawn on a canvas from a raster that
 * sums spans per pixel (minimapRaster), so 100k spans draw in a few ms. The shaded rectangle
 * is the waterfall's viewport; click or drag to scroll there. As a slider it is also keyboard
 * operable (arrows and Page keys move by one viewport, Home/End).
 */
export const Minimap = memo(function MinimapInner(props: MinimapProps) {
  const {
    model,
    rows,
    firstVisible,
    lastVisible,
    onScrollTo,
    height = 56,
  } = props;
  const theme = useTheme();
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dragging = useRef(false);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return undefined;
    const measure = () => setWidth(box.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', measure);
      return () => window.removeEventListener('resize', measure);
    }
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const baseColor = theme.palette.primary.main;
  const errorColor = theme.palette.error.main;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width <= 0) return;
    const ratio = Math.min(2, window.devicePixelRatio || 1);
    const w = Math.round(width * ratio);
    const h = Math.round(height * ratio);
    // Resizing reallocates the canvas: only when the size really changed.
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const context = canvas.getContext('2d');
    if (!context) return;
    const raster = rasterizeMinimap(model, rows, w, h);
    const pixels = paintMinimap(
      raster,
      parseColor(baseColor),
      parseColor(errorColor),
    );
    const image = context.createImageData(w, h);
    image.data.set(pixels);
    context.putImageData(image, 0, 0);
  }, [model, rows, width, height, baseColor, errorColor]);

  const count = rows.length;
  const outsideZoom = {
    position: 'absolute',
    top: 0,
    bottom: 0,
    background: alpha(theme.palette.text.primary, 0.18),
    pointerEvents: 'none',
  } as const;
  const visible = Math.max(1, lastVisible - firstVisible + 1);

  const scrollToPointer = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const fraction =
      rect.height > 0 ? (event.clientY - rect.top) / rect.height : 0;
    if (count > 0) onScrollTo(Math.max(0, Math.min(1, fraction)) * (count - 1));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const centre = firstVisible + visible / 2;
    const moves: Record<string, number> = {
      ArrowDown: centre + visible,
      PageDown: centre + visible,
      ArrowUp: centre - visible,
      PageUp: centre - visible,
      Home: 0,
      End: count - 1,
    };
    if (!(event.key in moves) || count === 0) return;
    event.preventDefault();
    onScrollTo(moves[event.key]);
  };

  return (
    <Box
      ref={boxRef}
      role="slider"
      tabIndex={0}
      aria-label="Trace overview: click or drag to scroll the waterfall"
      aria-orientation="vertical"
      aria-valuemin={0}
      aria-valuemax={Math.max(0, count - 1)}
      aria-valuenow={firstVisible}
      aria-valuetext={`Rows ${Math.min(count, firstVisible + 1)} to ${Math.min(
        count,
        lastVisible + 1,
      )} of ${count}`}
      onKeyDown={onKeyDown}
      onPointerDown={event => {
        dragging.current = true;
        event.currentTarget.setPointerCapture?.(event.pointerId);
        scrollToPointer(event);
      }}
      onPointerMove={event => {
        if (dragging.current) scrollToPointer(event);
      }}
      onPointerUp={() => {
        dragging.current = false;
      }}
      onPointerCancel={() => {
        dragging.current = false;
      }}
      sx={{
        position: 'relative',
        height,
        cursor: 'pointer',
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        overflow: 'hidden',
        touchAction: 'none',
        bgcolor: 'background.paper',
        '&:focus-visible': {
          outline: `2px solid ${theme.palette.primary.main}`,
        },
      }}
    >
      <canvas
        aria-hidden="true"
        ref={canvasRef}
        style={{ width: '100%', height: '100%', display: 'block' }}
      />
      {props.viewRange && (
        <>
          <div
            data-testid="minimap-zoom-before"
            style={{
              ...outsideZoom,
              left: 0,
              width: `${
                Math.max(0, props.viewRange.startMs / model.durationMs) * 100
              }%`,
            }}
          />
          <div
            style={{
              ...outsideZoom,
              right: 0,
              width: `${
                Math.max(0, 1 - props.viewRange.endMs / model.durationMs) * 100
              }%`,
            }}
          />
        </>
      )}
      {count > 0 && (
        // A plain element: it moves on every scroll, and an sx prop would mint a class per value.
        <div
          data-testid="minimap-viewport"
          style={{
            position: 'absolute',
            left: 0,
            right: 0,
            top: `${(firstVisible / count) * 100}%`,
            height: `${(visible / count) * 100}%`,
            minHeight: 4,
            background: alpha(theme.palette.text.primary, 0.08),
            borderTop: `1px solid ${alpha(theme.palette.text.primary, 0.5)}`,
            borderBottom: `1px solid ${alpha(theme.palette.text.primary, 0.5)}`,
            pointerEvents: 'none',
          }}
        />
      )}
    </Box>
  );
});
