import {
  parseTraceIdParam,
  type GetTraceRequest,
} from '@backstage-traces/plugin-traces-common';
import { ENTITY_TRACES_TAB_PATH } from '../../routes';
import {
  SPAN_ID_PARAM,
  TRACE_ID_PARAM,
} from '../TraceExplorer/useTraceUrlState';
import { linkRange } from '../TracesPage/linkRange';

/** Where the trace would be shown: the entity's Traces tab or the traces page. */
export type TraceLocation = 'entity-tab' | 'traces-page';

/**
 * The trace request the view at this location will make, exactly as it will make it: the
 * entity Traces tab (`/catalog/:namespace/:kind/:name/traces?traceId=`, scoped to the entity)
 * or the traces page (`/traces/trace/:traceId`, with `from`/`to`). Undefined elsewhere, or
 * where an app mounts them at other paths (the view then loads the trace itself).
 */
export function traceRequestOfLocation(
  pathname: string,
  search: string,
): { request: GetTraceRequest; location: TraceLocation } | undefined {
  const params = new URLSearchParams(search);
  const focusSpanId = params.get(SPAN_ID_PARAM) ?? undefined;
  const entityTab = new RegExp(
    `^/catalog/([^/]+)/([^/]+)/([^/]+)${ENTITY_TRACES_TAB_PATH}/?$`,
  ).exec(pathname);
  const traceId = params.get(TRACE_ID_PARAM);
  if (entityTab && traceId) {
    const [namespace, kind, name] = entityTab.slice(1).map(decodeURIComponent);
    return {
      location: 'entity-tab',
      request: {
        traceId,
        entityRef: `${kind}:${namespace}/${name}`,
        focusSpanId,
      },
    };
  }
  const page = /^\/traces\/trace\/([^/]+)\/?$/.exec(pathname);
  const pageTraceId = page && parseTraceIdParam(decodeURIComponent(page[1]));
  if (pageTraceId) {
    return {
      location: 'traces-page',
      request: {
        traceId: pageTraceId,
        ...linkRange(params),
        focusSpanId,
      },
    };
  }
  return undefined;
}
