import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import { valueKind, valueText } from './attributeValues';
import { Icon } from './Icon';

/** Longer strings are cut until asked for (prompts, SQL, payloads can be megabytes). */
const LONG_VALUE = 600;

/** One attribute value, rendered by type; masked values are labelled as such. */
export function AttributeValueView(props: {
  value: unknown;
  masked?: boolean;
}) {
  const [expanded, setExpanded] = useState(false);
  if (props.masked) {
    return (
      <Chip
        size="small"
        variant="outlined"
        color="warning"
        icon={<Icon name="lock" />}
        label="masked"
        title="This value was masked by the traces backend"
      />
    );
  }
  const kind = valueKind(props.value);
  const text = valueText(props.value);
  if (kind === 'array' || kind === 'object') {
    return (
      <Box
        component="pre"
        sx={{
          m: 0,
          fontFamily: 'monospace',
          fontSize: 12,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
        }}
      >
        {text}
      </Box>
    );
  }
  if (kind === 'null') {
    return (
      <Box
        component="span"
        sx={{ fontStyle: 'italic', color: 'text.secondary' }}
      >
        null
      </Box>
    );
  }
  if (kind === 'number' || kind === 'boolean') {
    return (
      <Box
        component="span"
        data-kind={kind}
        sx={{
          fontFamily: 'monospace',
          color: kind === 'number' ? 'info.dark' : 'secondary.main',
        }}
      >
        {text}
      </Box>
    );
  }
  const long = text.length > LONG_VALUE;
  return (
    <Box
      component="span"
      sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
    >
      {long && !expanded ? `${text.slice(0, LONG_VALUE)}…` : text}
      {long && (
        <Button
          size="small"
          onClick={() => setExpanded(e => !e)}
          sx={{ ml: 1, py: 0 }}
        >
          {expanded
            ? 'Show less'
            : `Show all ${text.length.toLocaleString()} characters`}
        </Button>
      )}
    </Box>
  );
}
