import { useEffect } from 'react';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { initFaro } from './faro';

/**
 * Starts frontend telemetry once the app's config is available. Renders
 * nothing; telemetry stays off unless `app.faro.url` is configured.
 */
export function FaroTelemetry() {
  const configApi = useApi(coreApis.config);

  useEffect(() => {
    initFaro(configApi);
  }, [configApi]);

  return null;
}
