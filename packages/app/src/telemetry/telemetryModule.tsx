import {
  AppRootElementBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { FaroTelemetry } from './FaroTelemetry';

/**
 * Rendered at the app root, next to the sign-in page and the app layout, so
 * telemetry covers sign-in as well as every page. Disable it with
 * `app.extensions: [{ 'app-root-element:app/faro-telemetry': false }]`.
 */
export const faroTelemetryElement = AppRootElementBlueprint.make({
  name: 'faro-telemetry',
  params: {
    element: <FaroTelemetry />,
  },
});

export const telemetryModule = createFrontendModule({
  pluginId: 'app',
  extensions: [faroTelemetryElement],
});
