import { useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { formatTick, tickLabelPx, type TimeTicks } from './timeAxis';

export interface TimeRulerProps {
  ticks: TimeTicks;
  viewStartMs: number;
  viewDurationMs: number;
  /** The timeline's width in px, once measured (0 before). */
  timelineWidth: number;
  /** The time axis shows a part of the trace. */
  zoomed: boolean;
  nameWidth: number;
  minNameWidth: number;
  maxNameWidth: number;
  onNameWidthChange: (width: number) => void;
  /** A range dragged across the axis, as fractions (0..1) of the current view. */
  onZoom: (from: number, to: number) => void;
  onResetZoom: () => void;
}

/** Drags shorter than this many pixels are clicks, not a range. */
const MIN_BRUSH_PX = 4;

/**
 * The header above the rows: the span-name column title with the column resize handle, and
 * the time axis. Dragging across the axis zooms the waterfall to that range. It sits outside
 * the scroll container (same scrollbar gutter), so it stays in place while rows scroll.
 */
export function TimeRuler(props: TimeRulerProps) {
  const {
    ticks,
    viewStartMs,
    viewDurationMs,
    timelineWidth,
    nameWidth,
    minNameWidth,
    maxNameWidth,
  } = props;
  const resize = useRef<{ x: number; width: number } | undefined>(undefined);
  const [brush, setBrush] = useState<{
    from: number;
    to: number;
    width: number;
  }>();
  const clamp = (w: number) =>
    Math.round(Math.max(minNameWidth, Math.min(maxNameWidth, w)));

  const onResizeKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 64 : 16;
    if (event.key === 'ArrowLeft')
      props.onNameWidthChange(clamp(nameWidth - step));
    else if (event.key === 'ArrowRight')
      props.onNameWidthChange(clamp(nameWidth + step));
    else return;
    event.preventDefault();
  };

  const fractionAt = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      at:
        rect.width > 0
          ? Math.max(0, Math.min(1, (event.clientX - rect.left) / rect.width))
          : 0,
      width: rect.width,
    };
  };

  return (
    <div className="tv-ruler">
      <div className="tv-ruler-name">
        <span className="tv-ruler-title">Service and operation</span>
        {props.zoomed && (
          <button
            type="button"
            className="tv-reset-zoom"
            onClick={props.onResetZoom}
          >
            Reset zoom
          </button>
        )}
        {/* A focusable separator is a widget (a splitter) in WAI-ARIA, operable by keys. */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
        <div
          className="tv-resize"
          role="separator"
          aria-orientation="vertical"
          aria-label="Resize the span name column"
          aria-valuenow={nameWidth}
          aria-valuemin={minNameWidth}
          aria-valuemax={maxNameWidth}
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
          tabIndex={0}
          onPointerDown={event => {
            resize.current = { x: event.clientX, width: nameWidth };
            event.currentTarget.setPointerCapture?.(event.pointerId);
          }}
          onPointerMove={event => {
            if (resize.current) {
              props.onNameWidthChange(
                clamp(resize.current.width + event.clientX - resize.current.x),
              );
            }
          }}
          onPointerUp={() => {
            resize.current = undefined;
          }}
          onPointerCancel={() => {
            resize.current = undefined;
          }}
          onKeyDown={onResizeKeyDown}
        />
      </div>
      {/* Mouse-only brush; keyboard users zoom with "z" on a span and reset with "0". */}
      <div
        className="tv-ruler-time"
        aria-hidden="true"
        title="Drag across the time axis to zoom"
        onPointerDown={event => {
          if (event.button !== 0) return;
          const { at, width } = fractionAt(event);
          setBrush({ from: at, to: at, width });
          event.currentTarget.setPointerCapture?.(event.pointerId);
        }}
        onPointerMove={event => {
          if (brush) setBrush({ ...brush, to: fractionAt(event).at });
        }}
        onPointerUp={() => {
          if (
            brush &&
            Math.abs(brush.to - brush.from) * brush.width >= MIN_BRUSH_PX
          ) {
            props.onZoom(
              Math.min(brush.from, brush.to),
              Math.max(brush.from, brush.to),
            );
          }
          setBrush(undefined);
        }}
        onPointerCancel={() => setBrush(undefined)}
      >
        {ticks.ticks.map(t => {
          const at = (t - viewStartMs) / viewDurationMs;
          const label = formatTick(t, ticks.stepMs);
          let style;
          if (timelineWidth > 0) {
            // Ticks are spaced for their labels; one that would run past the right edge is
            // left out rather than moved onto its neighbour.
            if (at * timelineWidth + tickLabelPx(label) > timelineWidth)
              return null;
            style = { left: `${at * 100}%` };
          } else {
            // Not measured yet: keep the last label inside by anchoring it by its end.
            style =
              at > 0.92
                ? { right: `${(1 - at) * 100}%`, paddingRight: 3 }
                : { left: `${at * 100}%` };
          }
          return (
            <span key={t} className="tv-tick" style={style}>
              {label}
            </span>
          );
        })}
        {brush && (
          <div
            className="tv-brush"
            style={{
              left: `${Math.min(brush.from, brush.to) * 100}%`,
              width: `${Math.abs(brush.to - brush.from) * 100}%`,
            }}
          />
        )}
      </div>
    </div>
  );
}
