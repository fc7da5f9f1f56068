import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { formatTick, type TimeTicks } from './timeAxis';

export interface TimeRulerProps {
  ticks: TimeTicks;
  viewStartMs: number;
  viewDurationMs: number;
  nameWidth: number;
  minNameWidth: number;
  maxNameWidth: number;
  onNameWidthChange: (width: number) => void;
}

/**
 * The header above the rows: the span-name column title with the column resize handle, and
 * the time axis labels. It sits outside the scroll container (same scrollbar gutter), so it
 * stays in place while rows scroll.
 */
export function TimeRuler(props: TimeRulerProps) {
  const {
    ticks,
    viewStartMs,
    viewDurationMs,
    nameWidth,
    minNameWidth,
    maxNameWidth,
  } = props;
  const drag = useRef<{ x: number; width: number } | undefined>(undefined);
  const clamp = (w: number) =>
    Math.round(Math.max(minNameWidth, Math.min(maxNameWidth, w)));

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    drag.current = { x: event.clientX, width: nameWidth };
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    props.onNameWidthChange(
      clamp(drag.current.width + event.clientX - drag.current.x),
    );
  };
  const onPointerUp = () => {
    drag.current = undefined;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 64 : 16;
    if (event.key === 'ArrowLeft')
      props.onNameWidthChange(clamp(nameWidth - step));
    else if (event.key === 'ArrowRight')
      props.onNameWidthChange(clamp(nameWidth + step));
    else return;
    event.preventDefault();
  };

  return (
    <div className="tv-ruler">
      <div className="tv-ruler-name">
        Service and operation
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
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onKeyDown={onKeyDown}
        />
      </div>
      <div className="tv-ruler-time" aria-hidden="true">
        {ticks.ticks.map(t => {
          const at = (t - viewStartMs) / viewDurationMs;
          // The last label would overflow the right edge: anchor it by its end instead.
          const style =
            at > 0.92
              ? { right: `${(1 - at) * 100}%`, paddingRight: 3 }
              : { left: `${at * 100}%` };
          return (
            <span key={t} className="tv-tick" style={style}>
              {formatTick(t, ticks.stepMs)}
            </span>
          );
        })}
      </div>
    </div>
  );
}
