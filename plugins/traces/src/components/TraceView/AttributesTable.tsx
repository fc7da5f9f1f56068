import { useMemo, Fragment } from 'react';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { attributeRows } from './attributeValues';
import { AttributeValueView } from './AttributeValueView';

export interface AttributesTableProps {
  title: string;
  attributes: Record<string, unknown>;
  redactedKeys?: readonly string[];
  /** Only keys or values containing this text (any case) are listed. */
  filter?: string;
}

/** Key/value table of attributes, sorted by key, filtered, with masked values marked. */
export function AttributesTable(props: AttributesTableProps) {
  const { attributes, redactedKeys, filter = '' } = props;
  const rows = useMemo(
    () => attributeRows(attributes, filter, redactedKeys),
    [attributes, filter, redactedKeys],
  );
  const total = Object.keys(attributes).length;
  const heading =
    filter.trim() && total
      ? `${props.title} (${rows.length} of ${total})`
      : `${props.title} (${total})`;
  return (
    <Box component="section" aria-label={props.title} sx={{ mb: 2 }}>
      <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
        {heading}
      </Typography>
      {rows.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {total === 0 ? 'None.' : 'No attribute matches the filter.'}
        </Typography>
      ) : (
        <Table size="small" sx={{ tableLayout: 'fixed' }}>
          <TableBody>
            {rows.map(row => (
              <TableRow key={row.key}>
                <TableCell
                  component="th"
                  scope="row"
                  sx={{
                    width: '38%',
                    fontFamily: 'monospace',
                    fontSize: 12,
                    // Break at the dots of a key; inside a segment only when it alone is too long.
                    overflowWrap: 'anywhere',
                    verticalAlign: 'top',
                    color: 'text.secondary',
                  }}
                >
                  <DottedKey name={row.key} />
                </TableCell>
                <TableCell sx={{ fontSize: 13, verticalAlign: 'top' }}>
                  <AttributeValueView value={row.value} masked={row.masked} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/** An attribute key with a line-break opportunity after each dot (`http.` `request.` `method`). */
export function DottedKey(props: { name: string }) {
  const parts = props.name.split('.');
  return (
    <>
      {parts.map((part, i) => (
        // eslint-disable-next-line react/no-array-index-key
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <>
              .<wbr />
            </>
          )}
        </Fragment>
      ))}
    </>
  );
}
