import { useApiHolder } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { tracesApiRef } from '../../api';
import { prefetchTrace } from './traceRequests';
import { traceRequestOfLocation } from './traceRequestOfLocation';

/**
 * Mounted at the app's root (an `app-root-element` in the new frontend system), it starts the
 * trace request of the trace URL the app was opened at (a shared link, a reload) as soon as it starts, while the entity page, the Traces
 * tab's code and the backend health check load, instead of after them; the trace view takes
 * the answer (`loadTrace`). It also starts loading the code of the view that will show it.
 * Renders nothing. The request waits for sign-in like every other (the fetch API adds the
 * token once the user is known).
 *
 * The traces API (and with it the app's fetch API) is only created when there is a trace to
 * fetch: created at the root, the fetch API would keep the `fetch` from before browser telemetry
 * (Faro) wraps it, and no request of the session would carry a `traceparent`.
 */
export function TracePrefetch() {
  const apis = useApiHolder();
  // Only the location the app was opened at: after that, views mount as soon as the user
  // navigates and make their own requests (their effects run before this one's would).
  const location = useLocation();
  const [opened] = useState(location);
  useEffect(() => {
    const found = traceRequestOfLocation(opened.pathname, opened.search);
    const api = found && apis.get(tracesApiRef);
    if (!found || !api) return;
    prefetchTrace(api, found.request);
    // Warm the chunks the route will ask for (the same specifiers as its loaders).
    const code =
      found.location === 'entity-tab'
        ? import('../TracesTab')
        : import('../TracesPage');
    code.catch(() => {});
  }, [apis, opened]);
  return null;
}
