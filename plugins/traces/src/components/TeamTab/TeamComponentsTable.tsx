import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { TeamComponentTraces } from '@backstage-traces/plugin-traces-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import {
  formatDuration,
  formatPercent,
  formatRateIn,
  rateUnitFor,
} from '../../lib/format';
import { useEntityTracesTabLink } from '../TracesPage/useEntityTracesTabLink';
import {
  DEFAULT_TEAM_SORT,
  nextTeamSort,
  sortTeamComponents,
  type TeamSort,
  type TeamSortKey,
} from './teamSort';

export interface TeamComponentsTableProps {
  components: TeamComponentTraces[];
  /** Search parameters for each component's Traces tab (the same time range). */
  tabParams: URLSearchParams;
}

const COLUMNS: Array<{ key: TeamSortKey; label: string; numeric: boolean }> = [
  { key: 'component', label: 'Component', numeric: false },
  { key: 'owner', label: 'Owner', numeric: false },
  { key: 'requestRate', label: 'Requests', numeric: true },
  { key: 'errorRatio', label: 'Error rate', numeric: true },
  { key: 'p95Ms', label: 'p95', numeric: true },
];

/** The team's traced components with their requests, sortable by each column. */
export function TeamComponentsTable(props: TeamComponentsTableProps) {
  const [sort, setSort] = useState<TeamSort>(DEFAULT_TEAM_SORT);
  const tabLink = useEntityTracesTabLink();
  const rows = sortTeamComponents(props.components, sort);
  const unit = rateUnitFor(
    Math.max(0, ...props.components.map(c => c.requestRate)),
  );
  return (
    <TableContainer>
      <Table size="small" aria-label="Components of the team">
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => (
              <TableCell
                key={column.key}
                align={column.numeric ? 'right' : 'left'}
                sortDirection={sort.key === column.key ? sort.direction : false}
              >
                <TableSortLabel
                  active={sort.key === column.key}
                  direction={sort.key === column.key ? sort.direction : 'asc'}
                  onClick={() =>
                    setSort(current => nextTeamSort(current, column.key))
                  }
                >
                  {column.label}
                </TableSortLabel>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(component => (
            <TableRow key={component.entityRef}>
              <TableCell>
                <Link to={tabLink(component.entityRef, props.tabParams)}>
                  {component.title ??
                    component.entityRef.replace(/^component:(default\/)?/, '')}
                </Link>
                <Typography
                  variant="caption"
                  color="text.secondary"
                  component="div"
                >
                  {component.serviceNames.join(', ')}
                  {component.serviceNamespace &&
                    ` · ${component.serviceNamespace}`}
                </Typography>
              </TableCell>
              <TableCell>
                {component.owner ? (
                  <EntityRefLink
                    entityRef={component.owner}
                    defaultKind="group"
                  />
                ) : (
                  '–'
                )}
              </TableCell>
              {component.spanCount === 0 ? (
                <TableCell align="right" colSpan={3}>
                  <Typography variant="body2" color="text.secondary">
                    No traces in this range
                  </Typography>
                </TableCell>
              ) : (
                <>
                  <TableCell align="right">
                    {formatRateIn(component.requestRate, unit)}
                  </TableCell>
                  <TableCell align="right">
                    {component.errorRatio === undefined
                      ? '–'
                      : formatPercent(component.errorRatio)}
                  </TableCell>
                  <TableCell align="right">
                    {component.p95Ms === undefined
                      ? '–'
                      : formatDuration(component.p95Ms)}
                  </TableCell>
                </>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
