import { useApi } from '@backstage/frontend-plugin-api';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { tracesApiRef, TimeRange } from '../../api';

/** Resource attributes that carry the environment (older and current semantic conventions). */
export const ENVIRONMENT_TAGS = [
  'resource.deployment.environment',
  'resource.deployment.environment.name',
];

const DEFAULT = '__default__';
const ALL = '__all__';

function toSelectValue(value: string | undefined): string {
  if (value === undefined) return DEFAULT;
  return value === '' ? ALL : value;
}

function fromSelectValue(value: string): string | undefined {
  if (value === DEFAULT) return undefined;
  return value === ALL ? '' : value;
}

export interface EnvironmentPickerProps {
  /** Undefined: the backend's configured default; empty string: all environments. */
  value?: string;
  onChange: (value: string | undefined) => void;
  /** Scopes to this entity's services; unscoped (traces.query) without. */
  entityRef?: string;
  range: TimeRange;
}

/** Environment select; the environments are the values Tempo has seen, loaded when opened. */
export function EnvironmentPicker(props: EnvironmentPickerProps) {
  const { value, onChange, entityRef, range } = props;
  const api = useApi(tracesApiRef);
  const key = `${entityRef}|${range.start}|${range.end}`;
  const [loadedKey, setLoadedKey] = useState<string>();

  const [state, load] = useAsyncFn(async () => {
    // either attribute may be in use; a failing lookup only costs its suggestions
    const results = await Promise.allSettled(
      ENVIRONMENT_TAGS.map(tag =>
        api.getTagValues({
          tag,
          entityRef,
          start: range.start,
          end: range.end,
        }),
      ),
    );
    const values = results.flatMap(r =>
      r.status === 'fulfilled' ? r.value.values.map(v => v.value) : [],
    );
    return [...new Set(values)].sort((a, b) => a.localeCompare(b));
  }, [api, entityRef, range.start, range.end]);

  const environments = [...(state.value ?? [])];
  if (value && !environments.includes(value)) environments.unshift(value);

  return (
    <TextField
      select
      size="small"
      label="Environment"
      value={toSelectValue(value)}
      onChange={e => onChange(fromSelectValue(e.target.value))}
      SelectProps={{
        onOpen: () => {
          if (loadedKey !== key) {
            setLoadedKey(key);
            load();
          }
        },
      }}
      sx={{ minWidth: 170 }}
    >
      <MenuItem value={DEFAULT}>Default</MenuItem>
      <MenuItem value={ALL}>All environments</MenuItem>
      {(environments.length > 0 || state.loading) && (
        <ListSubheader>
          {state.loading ? 'Loading environments…' : 'Seen in traces'}
        </ListSubheader>
      )}
      {environments.map(env => (
        <MenuItem key={env} value={env}>
          {env}
        </MenuItem>
      ))}
    </TextField>
  );
}
