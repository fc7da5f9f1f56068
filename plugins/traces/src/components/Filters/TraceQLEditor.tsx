import { useApi } from '@backstage/frontend-plugin-api';
import type {
  TagsResponse,
  TagValue,
} from '@backstage-traces/plugin-traces-common';
import {
  isMetricsQuery,
  validateTraceQL,
} from '@backstage-traces/plugin-traces-common';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  KeyboardEvent,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { tracesApiRef, TimeRange } from '../../api';
import {
  applyCompletion,
  attributeCompletions,
  CompletionContext,
  CompletionItem,
  enumValues,
  getCompletionContext,
  valueCompletions,
} from './traceqlCompletion';

export interface TraceQLEditorProps {
  /** The query in effect (from the URL); undefined when the filter fields are in effect. */
  value?: string;
  /** Runs a query; undefined goes back to the filter fields. */
  onRun: (query: string | undefined) => void;
  /** The query the filter fields produce, offered as a starting point. */
  filtersQuery: string;
  /** Scopes to this entity's services; unscoped (traces.query) without. */
  entityRef?: string;
  range: TimeRange;
}

type Problem = { message: string; from: number; to: number };

/** Checks the query before it is sent: syntax, and that it is a search, not a metrics query. */
export function checkSearchQuery(query: string): Problem | undefined {
  if (!query.trim()) return undefined;
  const result = validateTraceQL(query);
  if (!result.valid) {
    return { message: result.message, from: result.from, to: result.to };
  }
  if (isMetricsQuery(query)) {
    return {
      message:
        'This is a metrics query (it ends in a metrics function such as rate()); trace search needs a spanset filter like { status = error }',
      from: 0,
      to: query.length,
    };
  }
  return undefined;
}

/**
 * TraceQL box with autocomplete of attribute names (with scope prefixes) and values, and
 * syntax errors shown inline before anything is sent. Enter runs, Shift+Enter adds a line.
 */
export function TraceQLEditor(props: TraceQLEditorProps) {
  const { value, onRun, filtersQuery, entityRef, range } = props;
  const api = useApi(tracesApiRef);
  const listId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  const pendingCursor = useRef<number | undefined>(undefined);

  const [draft, setDraft] = useState(value ?? '');
  useEffect(() => setDraft(value ?? ''), [value]);
  const [context, setContext] = useState<CompletionContext>();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [tags, setTags] = useState<TagsResponse>();
  const tagsRequested = useRef(false);
  const [values, setValues] = useState<Record<string, TagValue[] | 'loading'>>(
    {},
  );

  const problem = useMemo(() => checkSearchQuery(draft), [draft]);

  // attribute names are loaded once, on first focus, for the entity
  const loadTags = () => {
    if (tagsRequested.current) return;
    tagsRequested.current = true;
    api
      .getTags({ entityRef })
      .then(setTags)
      .catch(() => setTags({ scopes: [] })); // intrinsics are still offered
  };

  // values are loaded per attribute, when first needed
  const valueAttribute =
    context?.kind === 'value' && !enumValues(context.attribute)
      ? context.attribute
      : undefined;
  useEffect(() => {
    if (!valueAttribute || values[valueAttribute]) return;
    setValues(v => ({ ...v, [valueAttribute]: 'loading' }));
    api
      .getTagValues({
        tag: valueAttribute,
        entityRef,
        start: range.start,
        end: range.end,
      })
      .then(r => setValues(v => ({ ...v, [valueAttribute]: r.values })))
      .catch(() => setValues(v => ({ ...v, [valueAttribute]: [] })));
  }, [api, valueAttribute, values, entityRef, range.start, range.end]);

  const items: CompletionItem[] = useMemo(() => {
    if (!context) return [];
    if (context.kind === 'attribute')
      return attributeCompletions(tags, context.prefix);
    const loaded = values[context.attribute];
    return valueCompletions(
      context.attribute,
      loaded === 'loading' ? undefined : loaded,
      context.prefix,
      context.quoted,
    );
  }, [context, tags, values]);

  const showList = open && items.length > 0;

  useEffect(() => {
    if (pendingCursor.current !== undefined && inputRef.current) {
      inputRef.current.setSelectionRange(
        pendingCursor.current,
        pendingCursor.current,
      );
      pendingCursor.current = undefined;
    }
  }, [draft]);

  const updateContext = (text: string, cursor: number) => {
    setContext(getCompletionContext(text, cursor));
    setActive(0);
  };

  const accept = (item: CompletionItem) => {
    if (!context) return;
    const next = applyCompletion(draft, context, item);
    pendingCursor.current = next.cursor;
    setDraft(next.text);
    updateContext(next.text, next.cursor);
    setOpen(true);
  };

  const run = () => {
    const query = draft.trim();
    if (problem) return;
    setOpen(false);
    onRun(query || undefined);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (showList) {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        setActive(i => (i + 1) % items.length);
        return;
      }
      if (e.key === 'ArrowUp') {
        e.preventDefault();
        setActive(i => (i - 1 + items.length) % items.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        accept(items[Math.min(active, items.length - 1)]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
        return;
      }
    }
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      setOpen(true);
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      run();
    }
  };

  const optionId = (i: number) => `${listId}-option-${i}`;

  return (
    <Box>
      <Box sx={{ position: 'relative' }}>
        <TextField
          label="TraceQL query"
          placeholder="{ span.http.status_code >= 500 && duration > 1s }"
          fullWidth
          multiline
          minRows={1}
          maxRows={6}
          value={draft}
          error={Boolean(problem)}
          inputRef={inputRef}
          onFocus={loadTags}
          onChange={e => {
            setDraft(e.target.value);
            updateContext(
              e.target.value,
              e.target.selectionStart ?? e.target.value.length,
            );
            setOpen(true);
          }}
          onClick={e => {
            const target = e.target as HTMLTextAreaElement;
            updateContext(
              target.value,
              target.selectionStart ?? target.value.length,
            );
          }}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          inputProps={{
            role: 'combobox',
            'aria-autocomplete': 'list',
            'aria-expanded': showList,
            'aria-controls': showList ? listId : undefined,
            'aria-activedescendant': showList ? optionId(active) : undefined,
            'aria-describedby': problem ? errorId : undefined,
            spellCheck: false,
            style: { fontFamily: 'monospace' },
          }}
        />
        {showList && (
          <Paper
            elevation={8}
            sx={{
              position: 'absolute',
              zIndex: 10,
              left: 0,
              top: '100%',
              mt: 0.5,
              maxHeight: 280,
              overflowY: 'auto',
              minWidth: 320,
            }}
          >
            <List
              id={listId}
              role="listbox"
              aria-label="TraceQL suggestions"
              dense
            >
              {items.map((item, i) => (
                <ListItemButton
                  key={`${item.label}-${i}`}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  selected={i === active}
                  // keep focus in the text box
                  onMouseDown={e => e.preventDefault()}
                  onClick={() => accept(item)}
                  sx={{
                    fontFamily: 'monospace',
                    gap: 2,
                    justifyContent: 'space-between',
                  }}
                >
                  <span>{item.label}</span>
                  {item.detail && (
                    <Typography variant="caption" color="text.secondary">
                      {item.detail}
                    </Typography>
                  )}
                </ListItemButton>
              ))}
            </List>
          </Paper>
        )}
      </Box>
      {problem && <QueryProblem id={errorId} query={draft} problem={problem} />}
      <Box
        sx={{
          display: 'flex',
          gap: 1,
          mt: 1,
          alignItems: 'center',
          flexWrap: 'wrap',
        }}
      >
        <Button
          variant="contained"
          size="small"
          onClick={run}
          disabled={Boolean(problem) || draft.trim() === (value ?? '')}
        >
          Run query
        </Button>
        <Button
          size="small"
          onClick={() => {
            setDraft(filtersQuery);
            inputRef.current?.focus();
          }}
        >
          Start from filters
        </Button>
        {value && (
          <Button size="small" onClick={() => onRun(undefined)}>
            Clear query and use filters
          </Button>
        )}
        <Typography variant="caption" color="text.secondary">
          Enter runs · Shift+Enter new line · Ctrl+Space suggestions. The
          entity&apos;s service scope is added by the backend.
        </Typography>
      </Box>
    </Box>
  );
}

function QueryProblem(props: { id: string; query: string; problem: Problem }) {
  const { id, query, problem } = props;
  const from = Math.max(0, Math.min(problem.from, query.length));
  const to = Math.max(from, Math.min(problem.to, query.length));
  const whole = from === 0 && to === query.length;
  return (
    <Box role="alert" sx={{ mt: 0.5 }}>
      {/* the message already names the column */}
      <Typography id={id} variant="body2" color="error">
        {problem.message}
      </Typography>
      {!whole && (
        <Box
          component="pre"
          aria-hidden
          sx={{
            m: 0,
            mt: 0.5,
            fontFamily: 'monospace',
            fontSize: 12,
            whiteSpace: 'pre-wrap',
          }}
        >
          {query.slice(0, from)}
          <Box
            component="mark"
            sx={{
              bgcolor: 'transparent',
              color: 'error.main',
              textDecoration: 'underline wavy',
              textDecorationColor: 'currentColor',
              // a zero-width error (e.g. at the end) still gets a visible marker
              '&:empty::after': { content: '"⟵"' },
            }}
          >
            {query.slice(from, to)}
          </Box>
          {query.slice(to)}
        </Box>
      )}
    </Box>
  );
}
