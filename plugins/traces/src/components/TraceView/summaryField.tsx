import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/**
 * A term/description pair of a span's summary list (`dl`): a render helper, not a component,
 * so that the pairs stay direct grid items of the list.
 */
export const summaryField = (label: string, value: ReactNode) => (
  <Box key={label} sx={{ display: 'contents' }}>
    <Typography component="dt" variant="body2" color="textSecondary">
      {label}
    </Typography>
    <Typography
      component="dd"
      variant="body2"
      sx={{ m: 0, minWidth: 0, wordBreak: 'break-word' }}
    >
      {value}
    </Typography>
  </Box>
);
