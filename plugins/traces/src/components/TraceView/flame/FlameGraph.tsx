import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { formatDuration } from '../../../lib/format';
import { serviceColor } from '../colors';
import type { TimeRange } from '../timeAxis';
import { FLAG_ERROR, type WaterfallModel } from '../waterfallModel';
import {
  buildFlameLayout,
  firstBoxEndingAfter,
  hitTest,
  neighbourInLane,
} from './flameLayout';

export interface FlameGraphProps {
  model: WaterfallModel;
  selectedRow?: number;
  /** Search matches by row (non-zero = match); the other boxes are dimmed. */
  matches?: Uint8Array;
  /** A row to bring into view when it changes (the current search match). */
  focusRow?: number;
  /** The zoom, shared with the waterfall; the whole trace when undefined. */
  viewRange?: TimeRange;
  onViewRangeChange: (range: TimeRange | undefined) => void;
  onSelectRow: (row: number) => void;
  /** Height of the graph (CSS). */
  height: number | string;
}

const LANE_PX = 20;
/** Boxes narrower than this get no label. */
const LABEL_MIN_PX = 36;

/** What a box says: name, then duration and self time when there is room. */
export function flameLabel(model: WaterfallModel, row: number): string {
  const duration = model.endMs[row] - model.startMs[row];
  return `${model.spans[row].name} · ${formatDuration(
    duration,
  )} (self ${formatDuration(model.selfMs[row])})`;
}

/**
 * The trace as an icicle on its time axis, drawn on a canvas so that 100,000 spans cost only
 * the boxes in view: rows are depths (with extra lanes for concurrent spans), box width is the
 * span's duration, the label gives its self time. Shares selection, search matches and zoom
 * with the waterfall. Keys: ← → along the lane, ↑ parent, ↓ first child, z zoom, 0 reset.
 */
export function FlameGraph(props: FlameGraphProps) {
  const {
    model,
    selectedRow,
    matches,
    focusRow,
    viewRange,
    onViewRangeChange,
    onSelectRow,
  } = props;
  const theme = useTheme();
  const layout = useMemo(() => buildFlameLayout(model), [model]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [scrollTop, setScrollTop] = useState(0);
  const [hover, setHover] = useState<number>();

  const from = viewRange?.startMs ?? layout.fromMs;
  const to = viewRange?.endMs ?? layout.toMs;

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return undefined;
    const measure = () =>
      setSize({
        width: el.clientWidth || 800,
        height: el.clientHeight || 400,
      });
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Draw the lanes in view; each lane is a binary search to the first box in the time window.
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.width * dpr);
    canvas.height = Math.round(size.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.width, size.height);
    ctx.font = `12px ${theme.typography.fontFamily}`;
    ctx.textBaseline = 'middle';
    const scale = size.width / (to - from);
    const firstLane = Math.floor(scrollTop / LANE_PX);
    const lastLane = Math.min(
      layout.laneCount - 1,
      Math.floor((scrollTop + size.height) / LANE_PX),
    );
    for (let l = firstLane; l <= lastLane; l++) {
      const y = l * LANE_PX - scrollTop;
      // Every other depth on a band, so that a depth's extra lanes read as one level.
      if (layout.laneDepth[l] % 2 === 1) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = theme.palette.action.hover;
        ctx.fillRect(0, y, size.width, LANE_PX);
      }
      const end = layout.laneStart[l + 1];
      // Boxes under a pixel are merged into the run they fall in.
      let runEnd = -Infinity;
      for (let i = firstBoxEndingAfter(layout, model, l, from); i < end; i++) {
        const r = layout.laneRows[i];
        if (model.startMs[r] > to) break;
        const x0 = (model.startMs[r] - from) * scale;
        const x1 = Math.max(x0 + 1, (model.endMs[r] - from) * scale);
        if (x1 <= runEnd) continue;
        runEnd = x1;
        const dim = matches !== undefined && !matches[r];
        ctx.globalAlpha = dim ? 0.25 : 1;
        ctx.fillStyle = serviceColor(model.service[r]);
        ctx.fillRect(x0, y + 1, x1 - x0 - (x1 - x0 > 3 ? 1 : 0), LANE_PX - 2);
        const error = model.flags[r] & FLAG_ERROR;
        if (error || r === selectedRow || r === hover) {
          ctx.lineWidth = r === selectedRow ? 3 : 1.5;
          ctx.strokeStyle = error
            ? theme.palette.error.main
            : theme.palette.text.primary;
          ctx.strokeRect(x0 + 0.5, y + 1.5, x1 - x0 - 1, LANE_PX - 3);
        }
        if (x1 - x0 >= LABEL_MIN_PX) {
          ctx.fillStyle = '#000';
          ctx.save();
          ctx.beginPath();
          ctx.rect(x0, y, x1 - x0 - 2, LANE_PX);
          ctx.clip();
          ctx.fillText(
            `${error ? '⚠ ' : ''}${flameLabel(model, r)}`,
            Math.max(x0, 0) + 4,
            y + LANE_PX / 2,
          );
          ctx.restore();
        }
      }
    }
    ctx.globalAlpha = 1;
  }, [
    layout,
    model,
    from,
    to,
    size,
    scrollTop,
    matches,
    selectedRow,
    hover,
    theme,
  ]);

  // Bring a row's lane (and time) into view.
  const bringIntoView = useCallback(
    (row: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const y = layout.lane[row] * LANE_PX;
      if (y < el.scrollTop || y + LANE_PX > el.scrollTop + el.clientHeight) {
        el.scrollTop = Math.max(0, y - el.clientHeight / 2);
      }
      if (model.endMs[row] < from || model.startMs[row] > to) {
        onViewRangeChange(undefined);
      }
    },
    [layout, model, from, to, onViewRangeChange],
  );
  useEffect(() => {
    if (focusRow !== undefined) bringIntoView(focusRow);
    // only when the focus row changes, not when zoom or size do
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRow]);

  const rowAt = (event: MouseEvent<HTMLElement>): number => {
    const rect = canvasRef.current!.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top + scrollTop;
    const msPerPx = (to - from) / size.width;
    return hitTest(
      layout,
      model,
      Math.floor(y / LANE_PX),
      from + x * msPerPx,
      msPerPx,
    );
  };

  const select = (row: number) => {
    if (row < 0) return;
    onSelectRow(row);
    bringIntoView(row);
  };
  const zoomTo = (row: number) =>
    onViewRangeChange({
      startMs: model.startMs[row],
      endMs: Math.max(model.endMs[row], model.startMs[row] + 1e-3),
    });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (model.size === 0) return;
    const current = selectedRow ?? -1;
    let next = -1;
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowRight':
        next =
          current < 0
            ? 0
            : neighbourInLane(
                layout,
                current,
                event.key === 'ArrowLeft' ? -1 : 1,
              );
        break;
      case 'ArrowUp':
        next = current < 0 ? 0 : model.parent[current];
        break;
      case 'ArrowDown':
        // In pre-order the first child follows its parent.
        if (current < 0) next = 0;
        else if (model.childCount[current] > 0) next = current + 1;
        break;
      case 'z':
        if (current >= 0) zoomTo(current);
        return;
      case '0':
        onViewRangeChange(undefined);
        return;
      default:
        return;
    }
    event.preventDefault();
    select(next);
  };

  const shown = hover ?? selectedRow;
  const shownSpan = shown === undefined ? undefined : model.spans[shown];
  const zoomed = viewRange !== undefined;

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column' }}>
      <Box
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          px: 1,
          minHeight: 32,
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        <Typography
          variant="body2"
          aria-live="polite"
          noWrap
          sx={{ flex: 1, minWidth: 0 }}
        >
          {shownSpan && shown !== undefined
            ? `${shownSpan.serviceName} · ${flameLabel(model, shown)}${
                model.flags[shown] & FLAG_ERROR ? ' · error' : ''
              }`
            : 'Click a box to select its span, double-click to zoom to it'}
        </Typography>
        <Button
          size="small"
          disabled={!zoomed}
          onClick={() => onViewRangeChange(undefined)}
        >
          Reset zoom
        </Button>
      </Box>
      <Box
        ref={scrollRef}
        role="application"
        aria-roledescription="flame graph"
        aria-label={`Flame graph of ${model.size} spans in ${layout.laneCount} rows. Arrow keys move between spans, z zooms to the span, 0 resets the zoom.`}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={event => setScrollTop(event.currentTarget.scrollTop)}
        sx={{
          height: props.height,
          overflow: 'auto',
          position: 'relative',
          outline: 'none',
          '&:focus-visible': {
            boxShadow: `inset 0 0 0 2px ${theme.palette.primary.main}`,
          },
        }}
      >
        <Box sx={{ height: Math.max(layout.laneCount * LANE_PX, 1) }}>
          <canvas
            ref={canvasRef}
            data-testid="flame-canvas"
            style={{
              position: 'sticky',
              top: 0,
              display: 'block',
              width: size.width,
              height: size.height,
              cursor: 'pointer',
            }}
            onMouseMove={event => {
              const row = rowAt(event);
              setHover(row >= 0 ? row : undefined);
            }}
            onMouseLeave={() => setHover(undefined)}
            onClick={event => select(rowAt(event))}
            onDoubleClick={event => {
              const row = rowAt(event);
              if (row >= 0) zoomTo(row);
            }}
          />
        </Box>
      </Box>
    </Box>
  );
}
