import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { formatCount, formatDuration, formatPercent } from '../../lib/format';
import type { EdgeSeverity, LayoutEdge } from './layoutServiceGraph';

export interface ServiceGraphTableProps {
  edges: LayoutEdge[];
}

const SEVERITY_COLOR: Record<EdgeSeverity, string | undefined> = {
  ok: undefined,
  warning: 'warning.main',
  error: 'error.main',
};

const latency = (ms?: number) => (ms === undefined ? '–' : formatDuration(ms));

/** The graph's calls as a table: exact numbers, sortable by eye, readable by screen readers. */
export function ServiceGraphTable(props: ServiceGraphTableProps) {
  const edges = [...props.edges].sort(
    (a, b) =>
      b.errorRatio - a.errorRatio || b.edge.requestCount - a.edge.requestCount,
  );
  return (
    <TableContainer>
      <Table size="small" aria-label="Calls between services">
        <TableHead>
          <TableRow>
            <TableCell>Caller</TableCell>
            <TableCell>Callee</TableCell>
            <TableCell align="right">Calls</TableCell>
            <TableCell align="right">Errors</TableCell>
            <TableCell align="right">Error rate</TableCell>
            <TableCell align="right">p50</TableCell>
            <TableCell align="right">p95</TableCell>
            <TableCell align="right">p99</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {edges.map(({ id, edge, errorRatio, severity }) => (
            <TableRow key={id}>
              <TableCell>{edge.source}</TableCell>
              <TableCell>{edge.target}</TableCell>
              <TableCell align="right">
                {formatCount(edge.requestCount)}
              </TableCell>
              <TableCell align="right">
                {formatCount(edge.errorCount)}
              </TableCell>
              <TableCell
                align="right"
                sx={{
                  color: SEVERITY_COLOR[severity],
                  fontWeight: severity === 'error' ? 600 : undefined,
                }}
              >
                {formatPercent(errorRatio)}
              </TableCell>
              <TableCell align="right">{latency(edge.latencyP50Ms)}</TableCell>
              <TableCell align="right">{latency(edge.latencyP95Ms)}</TableCell>
              <TableCell align="right">{latency(edge.latencyP99Ms)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
