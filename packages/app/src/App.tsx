import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import searchPlugin from '@backstage/plugin-search/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';
import { telemetryModule } from './telemetry';

/**
 * The Backstage Traces app.
 *
 * Plugins listed here are always installed. On top of them, `app.packages:
 * all` in app-config.yaml makes the CLI discover every frontend plugin that is
 * a dependency of this package, which is how `@backstage-traces/plugin-traces` (the
 * entity Traces tab) gets installed without an import here.
 */
export default createApp({
  features: [
    catalogPlugin,
    searchPlugin,
    orgPlugin,
    userSettingsPlugin,
    navModule,
    signInModule,
    telemetryModule,
  ],
});
