import { Content } from '@backstage/core-components';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { Route, Routes } from 'react-router-dom';
import { TraceExplorer, TracesBackendGate } from '../TraceExplorer';
import { ServicePage } from './ServicePage';
import { TracePage } from './TracePage';
import { TraceComparePage } from '../TraceDiff/TraceComparePage';

/**
 * The traces page and its sub-pages: trace search across all services (needs
 * `traces.query`), one trace with its owners, two traces compared, and the landing page of
 * service links.
 */
export function TracesPage() {
  return (
    <Content>
      <ReactRouterV6PageRouter>
        <Routes>
          <Route
            path="/"
            element={
              <TracesBackendGate>
                <TraceExplorer />
              </TracesBackendGate>
            }
          />
          <Route path="/trace/:traceId" element={<TracePage />} />
          <Route path="/compare" element={<TraceComparePage />} />
          <Route path="/services/:serviceName" element={<ServicePage />} />
        </Routes>
      </ReactRouterV6PageRouter>
    </Content>
  );
}
