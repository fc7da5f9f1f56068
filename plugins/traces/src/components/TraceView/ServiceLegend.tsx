import { memo } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import type { WaterfallModel } from './waterfallModel';
import { serviceColor } from './colors';

export interface ServiceLegendProps {
  model: WaterfallModel;
  /** Per service index: all its spans with children are collapsed. */
  collapsedServices: boolean[];
  onToggleService: (service: number) => void;
}

/**
 * The trace's services with their colours, span and error counts. Each chip is a toggle:
 * pressing it collapses every span of that service, pressing again expands them.
 */
export const ServiceLegend = memo(function ServiceLegendInner(
  props: ServiceLegendProps,
) {
  const { model, collapsedServices, onToggleService } = props;
  return (
    <Box
      component="ul"
      aria-label="Services in this trace"
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        gap: 0.75,
        listStyle: 'none',
        m: 0,
        p: 0,
      }}
    >
      {model.services.map((name, s) => {
        const spans = model.serviceSpanCount[s];
        if (spans === 0) return null;
        const errors = model.serviceErrorCount[s];
        const collapsed = collapsedServices[s];
        const counts = `${spans} span${spans === 1 ? '' : 's'}${
          errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''
        }`;
        return (
          <li key={name}>
            <Chip
              size="small"
              variant={collapsed ? 'outlined' : 'filled'}
              aria-pressed={collapsed}
              aria-label={`${name}: ${counts}`}
              title={`${
                collapsed ? 'Expand' : 'Collapse'
              } all spans of ${name}`}
              onClick={() => onToggleService(s)}
              icon={
                <Box
                  component="span"
                  sx={{
                    width: 10,
                    height: 10,
                    borderRadius: '2px',
                    ml: '6px !important',
                  }}
                  style={{ background: serviceColor(s) }}
                />
              }
              label={
                <>
                  {name}{' '}
                  <Box component="span" sx={{ color: 'text.secondary' }}>
                    {spans}
                  </Box>
                  {errors > 0 && (
                    <Box component="span" sx={{ color: 'error.main', ml: 0.5 }}>
                      {errors} err
                    </Box>
                  )}
                </>
              }
              sx={collapsed ? { textDecoration: 'line-through' } : undefined}
            />
          </li>
        );
      })}
    </Box>
  );
});
