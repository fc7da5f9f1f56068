import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import {
  normalizeTraceId,
  type Span,
} from '@backstage-traces/plugin-traces-common';
import type { WaterfallModel } from './waterfallModel';
import { AttributesTable } from './AttributesTable';

export interface SpanLinksProps {
  span: Span;
  model: WaterfallModel;
  onSelectRow: (row: number) => void;
  onOpenTrace?: (traceId: string, spanId?: string) => void;
}

/**
 * Span links (batch consumers, fan-in, follows-from). A link into this trace selects that span;
 * a link to another trace opens it (when the host handles `onOpenTrace`).
 */
export function SpanLinks(props: SpanLinksProps) {
  const { span, model, onSelectRow, onOpenTrace } = props;
  return (
    <Box component="section" aria-label="Links" sx={{ mb: 2 }}>
      <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
        Links ({span.links.length})
      </Typography>
      {span.links.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          None.
        </Typography>
      )}
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {span.links.map((link, index) => {
          const inTrace =
            normalizeTraceId(link.traceId) !== undefined &&
            normalizeTraceId(link.traceId) ===
              normalizeTraceId(model.trace.traceId);
          const row = inTrace ? model.indexOf(link.spanId) : undefined;
          let action;
          if (row !== undefined) {
            action = (
              <Button
                size="small"
                variant="outlined"
                onClick={() => onSelectRow(row)}
              >
                Go to span {model.spans[row].name}
              </Button>
            );
          } else if (inTrace) {
            action = (
              <Typography variant="caption" color="textSecondary">
                This span is not in the loaded trace.
              </Typography>
            );
          } else if (onOpenTrace) {
            action = (
              <Button
                size="small"
                variant="outlined"
                onClick={() => onOpenTrace(link.traceId, link.spanId)}
              >
                Open linked trace
              </Button>
            );
          }
          return (
            <Box
              component="li"
              key={`${link.traceId}-${link.spanId}-${index}`}
              sx={{ mb: 1, pl: 1.5, borderLeft: 3, borderColor: 'divider' }}
            >
              <Typography
                variant="body2"
                sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
              >
                {inTrace ? 'This trace' : `Trace ${link.traceId}`} · span{' '}
                {link.spanId}
              </Typography>
              {action}
              {Object.keys(link.attributes).length > 0 && (
                <AttributesTable
                  title="Link attributes"
                  attributes={link.attributes}
                  redactedKeys={span.redactedKeys}
                />
              )}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
