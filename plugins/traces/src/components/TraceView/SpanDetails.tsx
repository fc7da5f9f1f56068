import { useState } from 'react';
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { formatDuration } from '../../lib/format';
import { outsideParent } from './clockSkew';
import { FLAG_ERROR, FLAG_ORPHAN, type WaterfallModel } from './waterfallModel';
import { serviceColor } from './colors';
import { formatOffset } from './timeAxis';
import { AttributesTable } from './AttributesTable';
import { CopyButton } from './CopyButton';
import { SpanEvents } from './SpanEvents';
import { SpanLinks } from './SpanLinks';
import { SpanCatalogLinks } from './links';
import { summaryField as field } from './summaryField';

export interface SpanDetailsProps {
  model: WaterfallModel;
  row: number;
  /** Select another span of this trace (the parent, a linked span). */
  onSelectRow: (row: number) => void;
  onOpenTrace?: (traceId: string, spanId?: string) => void;
}

const STATUS_TEXT = { unset: 'Unset', ok: 'OK', error: 'Error' } as const;

/**
 * Everything about one span: summary (service and its owning catalog entities, kind, status,
 * timing, IDs), span and resource attributes behind one filter box, events and links.
 */
export function SpanDetails(props: SpanDetailsProps) {
  const { model, row, onSelectRow } = props;
  const [filter, setFilter] = useState('');
  const span = model.spans[row];
  const resource = model.trace.resources[span.resourceIndex];
  const owners = resource?.owners ?? [];
  const isError = (model.flags[row] & FLAG_ERROR) !== 0;
  const parentRow = model.parent[row];
  const skew = outsideParent(model, row);

  const { offsets, startMs, endMs } = model.criticalPath;
  let criticalMs = 0;
  for (let k = offsets[row]; k < offsets[row + 1]; k++)
    criticalMs += endMs[k] - startMs[k];

  let parent: ReactNode = 'None (root span)';
  if (parentRow >= 0) {
    parent = (
      <Button
        size="small"
        sx={{ p: 0, minWidth: 0, textTransform: 'none' }}
        onClick={() => onSelectRow(parentRow)}
      >
        {model.spans[parentRow].name}
      </Button>
    );
  } else if (model.flags[row] & FLAG_ORPHAN) {
    parent = (
      <Box component="span" sx={{ color: 'warning.dark' }}>
        {span.parentSpanId} (not in this trace)
      </Box>
    );
  }

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Box
          component="span"
          sx={{ width: 12, height: 12, borderRadius: '2px', flex: 'none' }}
          style={{ background: serviceColor(model.service[row]) }}
        />
        <Typography
          variant="h6"
          component="h3"
          sx={{ wordBreak: 'break-word' }}
        >
          {span.name}
        </Typography>
        {isError && <Chip size="small" color="error" label="Error" />}
      </Box>

      <Box
        component="dl"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'max-content 1fr',
          columnGap: 2,
          rowGap: 0.5,
          m: 0,
          mb: 2,
        }}
      >
        {field('Service', span.serviceName)}
        {field(
          'Owned by',
          owners.length === 0 ? (
            <Box component="span" sx={{ color: 'text.secondary' }}>
              No catalog entity claims this service
            </Box>
          ) : (
            <Box
              component="span"
              sx={{ display: 'flex', flexDirection: 'column' }}
            >
              {owners.map(owner => (
                <span key={owner.entityRef}>
                  <EntityRefLink entityRef={owner.entityRef}>
                    {owner.title}
                  </EntityRefLink>
                  {owner.owner && (
                    <>
                      {' · owner '}
                      <EntityRefLink
                        entityRef={owner.owner}
                        defaultKind="group"
                      />
                    </>
                  )}
                </span>
              ))}
            </Box>
          ),
        )}
        {field('Kind', span.kind)}
        {field(
          'Status',
          <Box
            component="span"
            sx={{ color: isError ? 'error.main' : undefined }}
          >
            {STATUS_TEXT[span.status.code] ?? span.status.code}
            {span.status.message && `: ${span.status.message}`}
          </Box>,
        )}
        {field('Start', formatOffset(span.startMs, formatDuration))}
        {field('Duration', formatDuration(span.durationMs))}
        {field('Self time', formatDuration(model.selfMs[row]))}
        {skew &&
          field(
            'Clock skew?',
            <Box component="span" sx={{ color: 'warning.main' }}>
              {[
                skew.startsBeforeMs > 0 &&
                  `starts ${formatDuration(skew.startsBeforeMs)} before`,
                skew.endsAfterMs > 0 &&
                  `ends ${formatDuration(skew.endsAfterMs)} after`,
              ]
                .filter(Boolean)
                .join(' and ')}{' '}
              its parent. The hosts&apos; clocks may disagree, or the parent did
              not wait for this work.
            </Box>,
          )}
        {criticalMs > 0 &&
          field('On critical path', formatDuration(criticalMs))}
        {field(
          'Span ID',
          <Box
            component="span"
            sx={{
              display: 'inline-flex',
              alignItems: 'center',
              fontFamily: 'monospace',
            }}
          >
            {span.spanId}
            <CopyButton text={span.spanId} label="Copy span ID" />
          </Box>,
        )}
        {field('Parent', parent)}
        {span.scope &&
          field(
            'Instrumentation',
            `${span.scope.name}${
              span.scope.version ? ` ${span.scope.version}` : ''
            }`,
          )}
      </Box>
      <SpanCatalogLinks
        spanAttributes={span.attributes}
        resourceAttributes={resource?.attributes ?? {}}
        ownerRef={owners[0]?.entityRef}
      />

      <TextField
        size="small"
        fullWidth
        label="Filter attributes"
        value={filter}
        onChange={event => setFilter(event.target.value)}
        sx={{ mb: 1.5 }}
      />
      <AttributesTable
        title="Span attributes"
        attributes={span.attributes}
        redactedKeys={span.redactedKeys}
        filter={filter}
      />
      <AttributesTable
        title={`Resource attributes${
          resource ? ` of ${resource.serviceName}` : ''
        }`}
        attributes={resource?.attributes ?? {}}
        filter={filter}
      />
      <SpanEvents span={span} />
      <SpanLinks
        span={span}
        model={model}
        onSelectRow={onSelectRow}
        onOpenTrace={props.onOpenTrace}
      />
    </Box>
  );
}
