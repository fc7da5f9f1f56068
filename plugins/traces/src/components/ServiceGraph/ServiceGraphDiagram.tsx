import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import Button from '@mui/material/Button';
import {
  useEffect,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { formatCount, formatDuration, formatPercent } from '../../lib/format';
import {
  DEFAULT_LAYOUT_OPTIONS,
  EdgeSeverity,
  GraphLayout,
  LayoutEdge,
} from './layoutServiceGraph';
import { ServiceNodeCard } from './ServiceNodeCard';
import { edgeDependencyState, NOT_SEEN_DASH } from './dependencyState';

export interface ServiceGraphDiagramProps {
  layout: GraphLayout;
  /** What the compared services are called on their cards, e.g. "this entity". */
  ownLabel?: string;
}

/** One line per edge, for the label and for assistive technology. */
export function describeEdge(edge: LayoutEdge): string {
  const e = edge.edge;
  const state = edgeDependencyState(e);
  if (state === 'declared-not-seen') {
    return 'declared in the catalog, no calls seen';
  }
  const parts = [
    `${formatCount(e.requestCount)} call${e.requestCount === 1 ? '' : 's'}`,
    `${formatPercent(edge.errorRatio)} errors`,
  ];
  if (e.latencyP95Ms !== undefined)
    parts.push(`p95 ${formatDuration(e.latencyP95Ms)}`);
  if (state === 'observed-not-declared')
    parts.push('not declared in the catalog');
  return parts.join(' · ');
}

/**
 * The laid-out graph: edges in an SVG layer, services as HTML cards on top (so their catalog
 * links are ordinary, focusable links). Hovering or focusing a service fades unrelated edges.
 */
export function ServiceGraphDiagram(props: ServiceGraphDiagramProps) {
  const { layout, ownLabel } = props;
  const theme = useTheme();
  const [highlight, setHighlight] = useState<string>();
  // Zoomed to fit the container's width by default; at full size the container scrolls (pans).
  const [fit, setFit] = useState(true);
  const containerRef = useRef<HTMLDivElement>(null);
  const [containerWidth, setContainerWidth] = useState(0);
  useEffect(() => {
    const container = containerRef.current;
    if (!container || typeof ResizeObserver === 'undefined') return undefined;
    setContainerWidth(container.clientWidth);
    const observer = new ResizeObserver(() =>
      setContainerWidth(container.clientWidth),
    );
    observer.observe(container);
    return () => observer.disconnect();
  }, []);
  const fitScale =
    containerWidth > 0 && layout.width > 0
      ? Math.min(1, (containerWidth - 2) / layout.width)
      : 1;
  const scale = fit ? fitScale : 1;
  // At full size the container scrolls: a mouse or pen drag pans it too (touch pans natively,
  // the keyboard scrolls the focusable container).
  const pannable = scale === 1 && fitScale < 1;
  const drag = useRef<{ x: number; y: number; left: number; top: number }>();
  const [dragging, setDragging] = useState(false);
  const startDrag = (event: ReactPointerEvent<HTMLDivElement>) => {
    const container = containerRef.current;
    if (!pannable || !container || event.button !== 0) return;
    if (event.pointerType === 'touch') return;
    // Links and buttons on the graph keep their clicks.
    if ((event.target as Element).closest('a, button')) return;
    event.preventDefault(); // no text selection while dragging
    drag.current = {
      x: event.clientX,
      y: event.clientY,
      left: container.scrollLeft,
      top: container.scrollTop,
    };
    container.setPointerCapture?.(event.pointerId);
    setDragging(true);
  };
  const moveDrag = (event: ReactPointerEvent<HTMLDivElement>) => {
    const container = containerRef.current;
    const start = drag.current;
    if (!container || !start) return;
    container.scrollLeft = start.left - (event.clientX - start.x);
    container.scrollTop = start.top - (event.clientY - start.y);
  };
  const endDrag = () => {
    drag.current = undefined;
    setDragging(false);
  };
  const colors: Record<EdgeSeverity, string> = {
    ok: theme.palette.text.secondary,
    warning: theme.palette.warning.main,
    error: theme.palette.error.main,
  };
  const undeclaredColor = theme.palette.info.main;
  const { nodeWidth, nodeHeight } = DEFAULT_LAYOUT_OPTIONS;
  const touches = (edge: LayoutEdge) =>
    !highlight ||
    edge.edge.source === highlight ||
    edge.edge.target === highlight;
  // draw error edges last so they stay on top where edges overlap
  const order: Record<EdgeSeverity, number> = { ok: 0, warning: 1, error: 2 };
  const edges = [...layout.edges].sort(
    (a, b) => order[a.severity] - order[b.severity],
  );

  return (
    <Box
      ref={containerRef}
      role="region"
      aria-label="Service graph"
      tabIndex={0}
      data-testid="service-graph-viewport"
      onPointerDown={startDrag}
      onPointerMove={moveDrag}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      sx={{
        position: 'relative',
        overflow: 'auto',
        cursor: pannable ? (dragging && 'grabbing') || 'grab' : undefined,
        userSelect: dragging ? 'none' : undefined,
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
      }}
    >
      {fitScale < 1 && (
        <Button
          size="small"
          onClick={() => setFit(f => !f)}
          sx={{ position: 'sticky', left: 4, top: 4, zIndex: 1, float: 'left' }}
        >
          {fit ? 'Full size' : 'Zoom to fit'}
        </Button>
      )}
      {/* The scaled box takes the scaled size, so the container scrolls only at full size. */}
      <Box sx={{ width: layout.width * scale, height: layout.height * scale }}>
        <Box
          data-testid="service-graph-canvas"
          sx={{
            position: 'relative',
            width: layout.width,
            height: layout.height,
          }}
          // Inline: the scale changes with the container, a class per value would pile up.
          style={{
            transform: scale < 1 ? `scale(${scale})` : undefined,
            transformOrigin: 'top left',
          }}
        >
          <svg
            width={layout.width}
            height={layout.height}
            style={{ position: 'absolute', inset: 0, overflow: 'visible' }}
            aria-hidden
          >
            <defs>
              {(Object.keys(colors) as EdgeSeverity[]).map(severity => (
                <marker
                  key={severity}
                  id={`traces-arrow-${severity}`}
                  viewBox="0 0 10 10"
                  refX={9}
                  refY={5}
                  markerWidth={7}
                  markerHeight={7}
                  markerUnits="userSpaceOnUse"
                  orient="auto-start-reverse"
                >
                  <path d="M0,0 L10,5 L0,10 z" fill={colors[severity]} />
                </marker>
              ))}
            </defs>
            {edges.map(edge => {
              const state = edgeDependencyState(edge.edge);
              const notSeen = state === 'declared-not-seen';
              return (
                <g
                  key={edge.id}
                  data-testid={`edge-${edge.id}`}
                  data-dependency={state}
                  opacity={touches(edge) ? 1 : 0.15}
                  style={{ transition: 'opacity 120ms' }}
                >
                  <title>{`${edge.edge.source} → ${
                    edge.edge.target
                  }: ${describeEdge(edge)}`}</title>
                  {state === 'observed-not-declared' && (
                    // A halo under calls the catalog does not declare.
                    <path
                      d={edge.path}
                      fill="none"
                      stroke={undeclaredColor}
                      strokeWidth={edge.strokeWidth + 7}
                      strokeOpacity={0.35}
                      strokeLinecap="round"
                    />
                  )}
                  <path
                    d={edge.path}
                    fill="none"
                    stroke={colors[edge.severity]}
                    strokeWidth={notSeen ? 1.5 : edge.strokeWidth}
                    strokeDasharray={notSeen ? NOT_SEEN_DASH : undefined}
                    strokeOpacity={edge.severity === 'ok' ? 0.6 : 0.9}
                    markerEnd={`url(#traces-arrow-${edge.severity})`}
                  />
                  <text
                    x={edge.labelX}
                    y={edge.labelY - 4}
                    textAnchor="middle"
                    fontSize={11}
                    fill={
                      edge.severity === 'ok'
                        ? theme.palette.text.primary
                        : colors[edge.severity]
                    }
                    stroke={theme.palette.background.paper}
                    strokeWidth={4}
                    paintOrder="stroke"
                    fontWeight={edge.severity === 'error' ? 600 : 400}
                  >
                    <tspan x={edge.labelX} dy={0}>
                      {notSeen
                        ? 'declared, not seen'
                        : `${formatCount(
                            edge.edge.requestCount,
                          )} calls · ${formatPercent(edge.errorRatio)} err`}
                    </tspan>
                    {edge.edge.latencyP95Ms !== undefined && (
                      <tspan x={edge.labelX} dy={13}>
                        {`p95 ${formatDuration(edge.edge.latencyP95Ms)}`}
                      </tspan>
                    )}
                    {state === 'observed-not-declared' && (
                      <tspan x={edge.labelX} dy={13} fill={undeclaredColor}>
                        not declared
                      </tspan>
                    )}
                  </text>
                </g>
              );
            })}
          </svg>
          {layout.nodes.map(node => (
            <Box
              key={node.id}
              sx={{ position: 'absolute', left: node.x, top: node.y }}
            >
              <ServiceNodeCard
                node={node.node}
                width={nodeWidth}
                height={nodeHeight}
                ownLabel={ownLabel}
                onHighlight={on => setHighlight(on ? node.id : undefined)}
              />
            </Box>
          ))}
        </Box>
      </Box>
    </Box>
  );
}
