import { useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import ListSubheader from '@mui/material/ListSubheader';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { formatCount, formatDuration } from '../../../lib/format';
import type { WaterfallModel } from '../waterfallModel';
import {
  attributeKeys,
  computeStatistics,
  groupKeyLabel,
  sortStatistics,
  type GroupKey,
  type StatisticsColumn,
  type StatisticsSort,
} from './traceStatistics';

export interface StatisticsTableProps {
  model: WaterfallModel;
  /** Selects a span: a group's longest span. */
  onSelectRow: (row: number) => void;
  /** Height of the scrolling table (CSS). */
  height: number | string;
}

/** More groups than this (grouping by a high-cardinality attribute) are cut, in sort order. */
const MAX_ROWS = 500;

const FIXED: Record<string, GroupKey> = {
  service: { kind: 'service' },
  operation: { kind: 'operation' },
  spanKind: { kind: 'spanKind' },
  status: { kind: 'status' },
};
const keyValue = (key: GroupKey) =>
  key.kind === 'attribute' ? `attr:${key.key}` : key.kind;
const parseKey = (value: string): GroupKey | undefined =>
  value.startsWith('attr:')
    ? { kind: 'attribute', key: value.slice(5) }
    : FIXED[value];

const NUMBER_COLUMNS: Array<{
  column: Exclude<StatisticsColumn, { value: number }>;
  label: string;
}> = [
  { column: 'count', label: 'Spans' },
  { column: 'totalMs', label: 'Total' },
  { column: 'avgMs', label: 'Average' },
  { column: 'minMs', label: 'Min' },
  { column: 'maxMs', label: 'Max' },
  { column: 'selfMs', label: 'Self time' },
  { column: 'errors', label: 'Errors' },
];

const sameColumn = (x: StatisticsColumn, y: StatisticsColumn) =>
  typeof x === 'object' && typeof y === 'object'
    ? x.value === y.value
    : x === y;

/**
 * Span statistics of the trace: one row per group (service and operation by default, or any
 * attribute), with count, total, average, min, max and self time and errors; every column
 * sorts. A row's name selects the group's longest span.
 */
export function StatisticsTable(props: StatisticsTableProps) {
  const { model, onSelectRow } = props;
  const [keys, setKeys] = useState<GroupKey[]>([
    FIXED.service,
    FIXED.operation,
  ]);
  const [sort, setSort] = useState<StatisticsSort>({
    column: 'totalMs',
    direction: 'desc',
  });
  const attributes = useMemo(() => attributeKeys(model), [model]);
  const rows = useMemo(() => computeStatistics(model, keys), [model, keys]);
  const sorted = useMemo(() => sortStatistics(rows, sort), [rows, sort]);
  const shown = sorted.slice(0, MAX_ROWS);

  const sortBy = (column: StatisticsColumn) =>
    setSort(current =>
      sameColumn(current.column, column)
        ? {
            column,
            direction: current.direction === 'asc' ? 'desc' : 'asc',
          }
        : { column, direction: typeof column === 'object' ? 'asc' : 'desc' },
    );
  const header = (
    column: StatisticsColumn,
    label: string,
    numeric: boolean,
  ) => {
    const active = sameColumn(sort.column, column);
    const firstDirection = numeric ? 'desc' : 'asc';
    return (
      <TableCell
        key={label}
        align={numeric ? 'right' : 'left'}
        sortDirection={active ? sort.direction : false}
        sx={{ whiteSpace: 'nowrap' }}
      >
        <TableSortLabel
          active={active}
          direction={active ? sort.direction : firstDirection}
          onClick={() => sortBy(column)}
        >
          {label}
        </TableSortLabel>
      </TableCell>
    );
  };

  const picker = (index: number, label: string) => (
    <TextField
      select
      size="small"
      label={label}
      value={keys[index] ? keyValue(keys[index]) : ''}
      onChange={event => {
        const key = parseKey(event.target.value);
        const next = keys.slice(0, index);
        if (key) next.push(key);
        // a second key stays when the first changes, unless they would be the same
        if (
          index === 0 &&
          keys[1] &&
          keyValue(keys[1]) !== event.target.value
        ) {
          next.push(keys[1]);
        }
        setKeys(next);
        setSort(current =>
          typeof current.column === 'object'
            ? { column: 'totalMs', direction: 'desc' }
            : current,
        );
      }}
      SelectProps={{ displayEmpty: index > 0 }}
      InputLabelProps={{ shrink: true }}
      sx={{ minWidth: 200 }}
    >
      {index > 0 && <MenuItem value="">Nothing</MenuItem>}
      <MenuItem value="service">Service</MenuItem>
      <MenuItem value="operation">Operation</MenuItem>
      <MenuItem value="spanKind">Span kind</MenuItem>
      <MenuItem value="status">Status</MenuItem>
      <ListSubheader>Attribute</ListSubheader>
      {attributes.map(key => (
        <MenuItem key={key} value={`attr:${key}`}>
          {key}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, p: 1 }}>
      <Box
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 1.5,
          alignItems: 'center',
        }}
      >
        {picker(0, 'Group by')}
        {picker(1, 'Then by')}
        <Typography variant="body2" color="textSecondary">
          {formatCount(rows.length)} group{rows.length === 1 ? '' : 's'} of{' '}
          {formatCount(model.size)} spans
          {rows.length > MAX_ROWS &&
            ` · the first ${MAX_ROWS} in this order are shown`}
          {model.trace.window &&
            ` · loaded spans only, of ${formatCount(
              model.trace.window.totalSpans,
            )} in the trace`}
        </Typography>
      </Box>
      <Box sx={{ maxHeight: props.height, overflow: 'auto' }}>
        <Table size="small" stickyHeader aria-label="Span statistics">
          <TableHead>
            <TableRow>
              {keys.map((key, i) =>
                header({ value: i }, groupKeyLabel(key), false),
              )}
              {NUMBER_COLUMNS.map(c => header(c.column, c.label, true))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map(row => (
              <TableRow key={row.values.join('\u0000')} hover>
                {row.values.map((value, i) => (
                  <TableCell
                    key={i}
                    sx={{ maxWidth: 320, wordBreak: 'break-word' }}
                  >
                    {i === 0 ? (
                      <Link
                        component="button"
                        variant="body2"
                        onClick={() => onSelectRow(row.longestRow)}
                        title="Select the longest span of this group"
                        sx={{ textAlign: 'left' }}
                      >
                        {value}
                      </Link>
                    ) : (
                      value
                    )}
                  </TableCell>
                ))}
                <TableCell align="right">{formatCount(row.count)}</TableCell>
                <TableCell align="right">
                  {formatDuration(row.totalMs)}
                </TableCell>
                <TableCell align="right">{formatDuration(row.avgMs)}</TableCell>
                <TableCell align="right">{formatDuration(row.minMs)}</TableCell>
                <TableCell align="right">{formatDuration(row.maxMs)}</TableCell>
                <TableCell align="right">
                  {formatDuration(row.selfMs)}
                </TableCell>
                <TableCell
                  align="right"
                  sx={
                    row.errors
                      ? { color: 'error.main', fontWeight: 600 }
                      : undefined
                  }
                >
                  {formatCount(row.errors)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}
