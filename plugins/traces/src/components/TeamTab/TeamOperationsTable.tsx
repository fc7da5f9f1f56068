import { Link } from '@backstage/core-components';
import type { TeamOperation } from '@backstage-traces/plugin-traces-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  formatDuration,
  formatPercent,
  formatRateIn,
  rateUnitFor,
} from '../../lib/format';
import { useEntityTracesTabLink } from '../TracesPage/useEntityTracesTabLink';

export interface TeamOperationsTableProps {
  /** Names the table for screen readers, e.g. `Slowest operations`. */
  label: string;
  operations: TeamOperation[];
  /** Said instead of an empty table. */
  emptyMessage: string;
  /** Search parameters for the Traces tab; the operation's span name is added. */
  tabParams: URLSearchParams;
  /** The link lists the operation's failed traces only. */
  errorsOnly?: boolean;
}

/** A ranking of operations across the team, each a link to its traces in its component's tab. */
export function TeamOperationsTable(props: TeamOperationsTableProps) {
  const tabLink = useEntityTracesTabLink();
  if (props.operations.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {props.emptyMessage}
      </Typography>
    );
  }
  const unit = rateUnitFor(
    Math.max(0, ...props.operations.map(op => op.requestRate)),
  );
  const linkTo = (op: TeamOperation) => {
    const params = new URLSearchParams(props.tabParams);
    params.set('spanName', op.name);
    if (props.errorsOnly) params.set('errors', '1');
    return tabLink(op.entityRef, params);
  };
  return (
    <TableContainer>
      <Table size="small" aria-label={props.label}>
        <TableHead>
          <TableRow>
            <TableCell>Operation</TableCell>
            <TableCell>Service</TableCell>
            {['Requests', 'Error rate', 'p95'].map(label => (
              <TableCell
                key={label}
                align="right"
                sx={{ whiteSpace: 'nowrap' }}
              >
                {label}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.operations.map(op => (
            <TableRow key={`${op.entityRef} ${op.serviceName} ${op.name}`}>
              <TableCell sx={{ wordBreak: 'break-word' }}>
                <Link to={linkTo(op)}>{op.name}</Link>
              </TableCell>
              <TableCell>{op.serviceName}</TableCell>
              <TableCell align="right">
                {formatRateIn(op.requestRate, unit)}
              </TableCell>
              <TableCell align="right">
                {op.errorRatio === undefined
                  ? '–'
                  : formatPercent(op.errorRatio)}
              </TableCell>
              <TableCell align="right">
                {op.p95Ms === undefined ? '–' : formatDuration(op.p95Ms)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
