import { useApi } from '@backstage/frontend-plugin-api';
import Autocomplete from '@mui/material/Autocomplete';
import CircularProgress from '@mui/material/CircularProgress';
import TextField from '@mui/material/TextField';
import { useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { errorMessage, tracesApiRef, TimeRange } from '../../api';

export interface TagValuePickerProps {
  label: string;
  /** Scoped tag name as Tempo's tag API expects it, e.g. `span.http.route` or `name`. */
  tag: string;
  value?: string;
  onChange: (value: string | undefined) => void;
  /** Scopes to this entity's services; unscoped (traces.query) without. */
  entityRef?: string;
  range: TimeRange;
  disabled?: boolean;
}

/**
 * A free-text field suggesting the values Tempo has seen for one tag, scoped to the entity.
 * Values are fetched only when the list is opened: fetching tag values for every field on
 * every render is what made Grafana 12.2's trace panel slow (grafana/grafana#114264).
 */
export function TagValuePicker(props: TagValuePickerProps) {
  const { label, tag, value, onChange, entityRef, range, disabled } = props;
  const api = useApi(tracesApiRef);
  const [input, setInput] = useState(value ?? '');
  useEffect(() => setInput(value ?? ''), [value]);

  // values depend on the entity and time range; reload on the next open after they change
  const key = `${tag}|${entityRef}|${range.start}|${range.end}`;
  const [loadedKey, setLoadedKey] = useState<string>();
  const [state, load] = useAsyncFn(async () => {
    const response = await api.getTagValues({
      tag,
      entityRef,
      start: range.start,
      end: range.end,
    });
    return [...new Set(response.values.map(v => v.value))].sort((a, b) =>
      a.localeCompare(b),
    );
  }, [api, tag, entityRef, range.start, range.end]);

  const commit = (next: string | null) => {
    const trimmed = next?.trim() || undefined;
    if (trimmed !== value) onChange(trimmed);
  };

  return (
    <Autocomplete
      freeSolo
      size="small"
      disabled={disabled}
      options={state.value ?? []}
      loading={state.loading}
      value={value ?? null}
      inputValue={input}
      onOpen={() => {
        if (loadedKey !== key) {
          setLoadedKey(key);
          load();
        }
      }}
      onInputChange={(_e, next) => setInput(next)}
      onChange={(_e, next) => commit(next)}
      onBlur={() => commit(input)}
      noOptionsText={
        state.error
          ? 'Values could not be loaded'
          : 'No values seen in this time range'
      }
      sx={{ minWidth: 220, flex: '1 1 220px' }}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          helperText={
            state.error
              ? `Suggestions unavailable: ${errorMessage(state.error)}`
              : undefined
          }
          InputProps={{
            ...params.InputProps,
            endAdornment: (
              <>
                {state.loading ? (
                  <CircularProgress color="inherit" size={16} />
                ) : null}
                {params.InputProps.endAdornment}
              </>
            ),
          }}
        />
      )}
    />
  );
}
