import { forwardRef, memo } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { WaterfallModel } from './waterfallModel';
import type { SpanFilter, WaterfallState } from './useWaterfallState';

/** The parts of the view state the toolbar uses, passed one by one so memo can skip renders. */
export type ToolbarState = Pick<
  WaterfallState,
  | 'query'
  | 'setQuery'
  | 'matchCursor'
  | 'currentMatchPlaces'
  | 'nextMatch'
  | 'previousMatch'
  | 'spanFilter'
  | 'setSpanFilter'
  | 'expandAll'
  | 'collapseAll'
  | 'expandToLevel'
  | 'showCriticalPath'
  | 'setShowCriticalPath'
> & { matchCount: number };
import { Icon } from './Icon';

export interface TraceToolbarProps extends ToolbarState {
  model: WaterfallModel;
}

/** "Expand to level" offers at most this many levels; deeper traces use expand all. */
const MAX_LEVEL_CHOICES = 20;

const filterValue = (f: SpanFilter) =>
  f.kind === 'service' ? `service:${f.service}` : f.kind;
function parseFilter(value: string): SpanFilter {
  if (value.startsWith('service:'))
    return { kind: 'service', service: Number(value.slice(8)) };
  if (value === 'errors' || value === 'matches') return { kind: value };
  return { kind: 'all' };
}

/**
 * Search within the trace (with match count and next/previous), the span filter, expand and
 * collapse controls and the critical-path toggle. Enter and Shift+Enter in the search box go to
 * the next and previous match; Escape clears it.
 */
export const TraceToolbar = memo(
  forwardRef<HTMLInputElement, TraceToolbarProps>(function TraceToolbarInner(
    props,
    searchRef,
  ) {
    const { model, matchCount } = props;
    const levels = Math.min(model.maxDepth + 1, MAX_LEVEL_CHOICES);
    const searching = props.query.trim().length > 0;

    let matchText = '';
    if (searching) {
      matchText = matchCount
        ? `${props.matchCursor + 1} of ${matchCount}`
        : 'No matches';
    }

    return (
      <Box
        sx={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          gap: 1.5,
        }}
      >
        <TextField
          inputRef={searchRef}
          size="small"
          label="Search spans"
          placeholder="Name, attribute, event, status message, key=value"
          value={props.query}
          onChange={event => props.setQuery(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Enter') {
              event.preventDefault();
              if (event.shiftKey) props.previousMatch();
              else props.nextMatch();
            } else if (event.key === 'Escape' && props.query) {
              event.stopPropagation();
              props.setQuery('');
            }
          }}
          helperText={
            matchCount > 0 && props.currentMatchPlaces.length > 0
              ? `Matched in ${props.currentMatchPlaces.join(', ')}`
              : undefined
          }
          FormHelperTextProps={{ sx: { mx: 0.5 } }}
          sx={{ minWidth: 0, flex: '1 1 280px', maxWidth: 520 }}
          InputProps={{
            endAdornment: (
              <InputAdornment position="end">
                <Typography
                  variant="caption"
                  color={searching && !matchCount ? 'error' : 'textSecondary'}
                  aria-live="polite"
                  sx={{ whiteSpace: 'nowrap', mr: 0.5 }}
                >
                  {matchText}
                </Typography>
                <IconButton
                  size="small"
                  aria-label="Previous match"
                  disabled={!matchCount}
                  onClick={props.previousMatch}
                >
                  <Icon name="up" />
                </IconButton>
                <IconButton
                  size="small"
                  aria-label="Next match"
                  disabled={!matchCount}
                  onClick={props.nextMatch}
                >
                  <Icon name="down" />
                </IconButton>
              </InputAdornment>
            ),
          }}
        />
        <TextField
          select
          size="small"
          label="Show"
          value={filterValue(props.spanFilter)}
          onChange={event =>
            props.setSpanFilter(parseFilter(event.target.value))
          }
          sx={{ minWidth: 180 }}
        >
          <MenuItem value="all">All spans</MenuItem>
          <MenuItem value="errors" disabled={model.errorCount === 0}>
            Errors only ({model.errorCount})
          </MenuItem>
          <MenuItem value="matches" disabled={matchCount === 0}>
            Search matches only ({matchCount})
          </MenuItem>
          <ListSubheader>Only one service</ListSubheader>
          {model.services.map((name, s) =>
            model.serviceSpanCount[s] > 0 ? (
              <MenuItem key={name} value={`service:${s}`}>
                {name}
              </MenuItem>
            ) : null,
          )}
        </TextField>
        <Box sx={{ display: 'flex', gap: 0.5 }}>
          <Button
            size="small"
            startIcon={<Icon name="unfoldMore" />}
            onClick={props.expandAll}
          >
            Expand all
          </Button>
          <Button
            size="small"
            startIcon={<Icon name="unfoldLess" />}
            onClick={props.collapseAll}
          >
            Collapse all
          </Button>
        </Box>
        <TextField
          select
          size="small"
          label="Expand to level"
          value=""
          onChange={event => props.expandToLevel(Number(event.target.value))}
          sx={{ minWidth: 140 }}
          InputLabelProps={{ shrink: true }}
          SelectProps={{ displayEmpty: true, renderValue: () => 'Choose…' }}
        >
          {Array.from({ length: levels }, (_, k) => (
            <MenuItem key={k + 1} value={k + 1}>
              Level {k + 1}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={props.showCriticalPath}
              onChange={event =>
                props.setShowCriticalPath(event.target.checked)
              }
            />
          }
          label="Critical path"
        />
        <Typography
          variant="caption"
          color="textSecondary"
          sx={{ flexBasis: '100%' }}
        >
          In the waterfall: ↑ ↓ move · ← → collapse and expand · Enter select ·
          z zoom to the span (or drag across the time axis) · 0 reset zoom · /
          search · Esc close the span
        </Typography>
      </Box>
    );
  }),
);
