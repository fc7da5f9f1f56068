import type { Theme } from '@mui/material/styles';
import type { SeverityLevel } from './severity';

/** Badge and chip colours per log severity, from the theme so dark mode works. */
export function severityColors(theme: Theme): Record<SeverityLevel, string> {
  const { palette } = theme;
  return {
    fatal: palette.error.dark,
    error: palette.error.main,
    warn: palette.warning.dark,
    info: palette.info.main,
    debug: palette.grey[600],
    trace: palette.grey[500],
    unknown: palette.grey[600],
  };
}
