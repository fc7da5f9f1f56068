import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import { severityLevel } from './severity';
import { severityColors } from './severityColors';

/** A log's severity as a small coloured label (its own text, coloured by normalised level). */
export function SeverityChip(props: {
  severity?: string;
  severityNumber?: number;
}) {
  const theme = useTheme();
  const level = severityLevel(props.severity, props.severityNumber);
  const text =
    props.severity || (level === 'unknown' ? '–' : level.toUpperCase());
  return (
    <Box
      component="span"
      data-level={level}
      style={{ background: severityColors(theme)[level] }}
      sx={{
        display: 'inline-block',
        minWidth: 52,
        px: 0.75,
        borderRadius: 1,
        color: 'common.white',
        fontSize: 11,
        fontWeight: 600,
        lineHeight: '18px',
        textAlign: 'center',
        textTransform: 'uppercase',
        flex: 'none',
      }}
    >
      {text}
    </Box>
  );
}
