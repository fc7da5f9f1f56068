import type { MetricSample } from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import { useTheme } from '@mui/material/styles';
import Tooltip from '@mui/material/Tooltip';
import type { ReactNode } from 'react';

export interface SparklineSeries {
  label: string;
  samples: MetricSample[];
  /** Theme colour; by default series cycle through primary, warning, error. */
  tone?: 'primary' | 'warning' | 'error';
}

/** A point on the chart that does something: an exemplar that opens its trace. */
export interface SparklineMarker {
  key: string;
  timestampMs: number;
  /** In the chart's unit; drawn at the top edge when above the chart's highest value. */
  value: number;
  /** Accessible name of the marker's button. */
  label: string;
  /** Tooltip content, shown on hover and keyboard focus. */
  title: ReactNode;
  onSelect(): void;
}

export interface SparklineProps {
  series: SparklineSeries[];
  /** Drawn over the lines as buttons (focusable, with a tooltip). */
  markers?: SparklineMarker[];
  /** Time domain in epoch ms, so gaps at either end show as gaps. */
  startMs: number;
  endMs: number;
  /** Describes the chart for assistive technology, e.g. "Span rate, avg 12/s, max 30/s". */
  label: string;
  width?: number;
  height?: number;
  /** Fill under a single line. */
  area?: boolean;
}

const PADDING = 2;

type Domain = { startMs: number; endMs: number; maxY: number };
type Size = { width: number; height: number };

/** Maps time to x and value to y in a width × height box, y from 0 (bottom) to `maxY`. */
export function sparklineScales(domain: Domain, box: Size) {
  const { startMs, endMs, maxY } = domain;
  const spanMs = Math.max(1, endMs - startMs);
  const innerH = box.height - PADDING * 2;
  return {
    x: (t: number) => ((t - startMs) / spanMs) * box.width,
    y: (v: number) => PADDING + innerH - (maxY > 0 ? (v / maxY) * innerH : 0),
  };
}

/** The SVG path of one series. */
export function sparklinePath(
  samples: MetricSample[],
  domain: Domain,
  box: Size,
): string {
  const { x, y } = sparklineScales(domain, box);
  return samples
    .map(
      (s, i) =>
        `${i === 0 ? 'M' : 'L'}${x(s.timestampMs).toFixed(1)},${y(
          s.value,
        ).toFixed(1)}`,
    )
    .join(' ');
}

/** Marker size in px: a 12 px button around an 7 px diamond. */
const MARKER_HIT = 12;
const MARKER_SIZE = 7;

/**
 * A small inline line chart; values start at zero so rates and latencies are not exaggerated.
 * Markers are HTML buttons over the SVG, not SVG children: the chart is one image to
 * assistive technology, and an image's children are not announced.
 */
export function Sparkline(props: SparklineProps) {
  const {
    series,
    markers = [],
    startMs,
    endMs,
    label,
    width = 160,
    height = 36,
    area,
  } = props;
  const theme = useTheme();
  const tones = ['primary', 'warning', 'error'] as const;
  const maxY = Math.max(0, ...series.flatMap(s => s.samples.map(p => p.value)));
  const domain = { startMs, endMs, maxY };
  const box = { width, height };
  const { x, y } = sparklineScales(domain, box);

  const chart = (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      style={{ display: 'block', overflow: 'visible' }}
    >
      <title>{label}</title>
      <line
        x1={0}
        x2={width}
        y1={height - PADDING}
        y2={height - PADDING}
        stroke={theme.palette.divider}
        strokeWidth={1}
      />
      {series.map((s, i) => {
        if (s.samples.length === 0) return null;
        const color = theme.palette[s.tone ?? tones[i % tones.length]].main;
        const d = sparklinePath(s.samples, domain, box);
        const first = s.samples[0];
        const last = s.samples[s.samples.length - 1];
        return (
          <g key={s.label}>
            {area && series.length === 1 && (
              <path
                d={`${d} L${x(last.timestampMs).toFixed(1)},${
                  height - PADDING
                } L${x(first.timestampMs).toFixed(1)},${height - PADDING} Z`}
                fill={color}
                fillOpacity={0.15}
                stroke="none"
              />
            )}
            {s.samples.length === 1 ? (
              <circle
                cx={x(first.timestampMs)}
                cy={y(first.value)}
                r={2}
                fill={color}
              />
            ) : (
              <path d={d} fill="none" stroke={color} strokeWidth={1.5} />
            )}
          </g>
        );
      })}
    </svg>
  );
  const inRange = markers.filter(
    m => m.timestampMs >= startMs && m.timestampMs <= endMs,
  );
  if (inRange.length === 0) return chart;
  return (
    <Box sx={{ position: 'relative', width, height }}>
      {chart}
      {inRange.map(marker => (
        <Tooltip key={marker.key} title={marker.title} describeChild>
          <ButtonBase
            aria-label={marker.label}
            onClick={marker.onSelect}
            sx={{
              position: 'absolute',
              left: x(marker.timestampMs) - MARKER_HIT / 2,
              top: y(Math.min(marker.value, maxY)) - MARKER_HIT / 2,
              width: MARKER_HIT,
              height: MARKER_HIT,
              borderRadius: '50%',
              '&.Mui-focusVisible': {
                outline: `2px solid ${theme.palette.primary.main}`,
              },
            }}
          >
            <Box
              component="span"
              sx={{
                width: MARKER_SIZE,
                height: MARKER_SIZE,
                transform: 'rotate(45deg)',
                bgcolor: 'background.paper',
                border: `1.5px solid ${theme.palette.text.primary}`,
              }}
            />
          </ButtonBase>
        </Tooltip>
      ))}
    </Box>
  );
}
