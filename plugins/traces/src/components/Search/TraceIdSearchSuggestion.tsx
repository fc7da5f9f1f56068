import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useSearch } from '@backstage/plugin-search-react';
import { parseTraceIdParam } from '@backstage-traces/plugin-traces-common';
import Alert from '@mui/material/Alert';
import { traceRouteRef } from '../../routes';

/**
 * A search term that is a trace ID, as copied from a log line or Grafana (1 to 32 hex
 * characters, leading zeros possibly stripped). Words that merely happen to be hex, such as
 * "cafe" or "add", are not: a short term needs a digit.
 */
export function traceIdOfSearchTerm(term: string): string | undefined {
  const text = term.trim();
  if (text.length < 16 && !/\d/.test(text)) return undefined;
  return parseTraceIdParam(text);
}

/** Offers to open the trace when the search term is a trace ID. Place it on the search page. */
export function TraceIdSearchSuggestion(props: { className?: string }) {
  const { term } = useSearch();
  const traceLink = useRouteRef(traceRouteRef);
  const traceId = traceIdOfSearchTerm(term);
  if (!traceId || !traceLink) return null;
  return (
    <Alert severity="info" className={props.className} sx={{ mb: 2 }}>
      This looks like a trace ID.{' '}
      <Link to={traceLink({ traceId })}>
        Open trace <code>{traceId}</code>
      </Link>
    </Alert>
  );
}
