import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  DependencyComparison,
  DependencyEnd,
  DependencyState,
  EntityDependency,
} from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  formatCount,
  formatRateIn,
  formatRelativeTime,
  formatTimestamp,
  rateUnitFor,
} from '../../lib/format';
import { DEPENDENCY_STATE_LABELS } from './dependencyState';

export interface DependencyListProps {
  comparison: DependencyComparison;
  /** The graph's range, epoch seconds: rates are calls over it. */
  range: { start: number; end: number };
  /** Epoch ms "last seen" is relative to. */
  nowMs: number;
}

const STATE_COLOR: Record<
  DependencyState,
  'default' | 'info' | 'warning' | 'success'
> = {
  'declared-and-observed': 'success',
  'observed-not-declared': 'info',
  'declared-not-seen': 'default',
};

/** A side of a dependency: a link to its entity, or the service no entity claims. */
function End(props: { end: DependencyEnd }) {
  const { end } = props;
  if (end.entityRef) {
    return <EntityRefLink entityRef={end.entityRef} defaultKind="component" />;
  }
  return (
    <>
      <code>{end.services.join(', ')}</code>{' '}
      <Typography component="span" variant="caption" color="text.secondary">
        (not in the catalog)
      </Typography>
    </>
  );
}

function DeclaredVia(props: { via?: string[] }) {
  if (!props.via?.length) return <>–</>;
  return (
    <>
      {props.via.map((via, i) => (
        <Box component="span" key={via}>
          {i > 0 && ', '}
          {via === 'dependsOn' ? (
            <code>dependsOn</code>
          ) : (
            <EntityRefLink entityRef={via} defaultKind="api" />
          )}
        </Box>
      ))}
    </>
  );
}

/**
 * The comparison as a list: every dependency of (or on) the compared entities with its state,
 * calls, request rate and last call, and a link to the entity on the other side. With one
 * compared entity each row names the other side and the direction; for a System's components,
 * both sides.
 */
export function DependencyList(props: DependencyListProps) {
  const { comparison, range, nowMs } = props;
  const seconds = Math.max(1, range.end - range.start);
  const single =
    comparison.entityRefs.length === 1 ? comparison.entityRefs[0] : undefined;
  const maxRate = Math.max(
    0,
    ...comparison.dependencies.map(d => d.requestCount / seconds),
  );
  const unit = rateUnitFor(maxRate);
  const calls = (d: EntityDependency) =>
    d.state === 'declared-not-seen' ? '–' : formatCount(d.requestCount);

  if (comparison.dependencies.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        No dependencies declared in the catalog and no calls to or from other
        services observed in this range.
      </Typography>
    );
  }
  return (
    <TableContainer>
      <Table size="small" aria-label="Declared and observed dependencies">
        <TableHead>
          <TableRow>
            <TableCell>State</TableCell>
            {single ? (
              <>
                <TableCell>Direction</TableCell>
                <TableCell>Entity</TableCell>
              </>
            ) : (
              <>
                <TableCell>From</TableCell>
                <TableCell>To</TableCell>
              </>
            )}
            <TableCell>Declared through</TableCell>
            <TableCell align="right">Calls</TableCell>
            <TableCell align="right">Errors</TableCell>
            <TableCell align="right">Rate</TableCell>
            <TableCell>Last seen</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {comparison.dependencies.map(d => {
            const outgoing = single ? d.source.entityRef === single : true;
            const key = JSON.stringify([d.source, d.target]);
            return (
              <TableRow key={key} data-state={d.state}>
                <TableCell>
                  <Chip
                    size="small"
                    variant={
                      d.state === 'declared-not-seen' ? 'outlined' : 'filled'
                    }
                    color={STATE_COLOR[d.state]}
                    label={DEPENDENCY_STATE_LABELS[d.state]}
                  />
                </TableCell>
                {single ? (
                  <>
                    <TableCell>
                      {outgoing ? 'Depends on' : 'Dependent'}
                    </TableCell>
                    <TableCell>
                      <End end={outgoing ? d.target : d.source} />
                    </TableCell>
                  </>
                ) : (
                  <>
                    <TableCell>
                      <End end={d.source} />
                    </TableCell>
                    <TableCell>
                      <End end={d.target} />
                    </TableCell>
                  </>
                )}
                <TableCell>
                  <DeclaredVia via={d.declaredVia} />
                </TableCell>
                <TableCell align="right">{calls(d)}</TableCell>
                <TableCell align="right">
                  {d.state === 'declared-not-seen'
                    ? '–'
                    : formatCount(d.errorCount)}
                </TableCell>
                <TableCell align="right">
                  {d.state === 'declared-not-seen'
                    ? '–'
                    : formatRateIn(d.requestCount / seconds, unit)}
                </TableCell>
                <TableCell>
                  {d.lastSeen !== undefined ? (
                    <span title={formatTimestamp(d.lastSeen * 1000)}>
                      {formatRelativeTime(d.lastSeen * 1000, nowMs)}
                    </span>
                  ) : (
                    <LastSeenUnknown state={d.state} />
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function LastSeenUnknown(props: { state: DependencyState }) {
  return (
    <Typography variant="body2" color="text.secondary" component="span">
      {props.state === 'declared-not-seen'
        ? 'not in this range'
        : 'in this range'}
    </Typography>
  );
}
