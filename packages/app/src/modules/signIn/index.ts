import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Replaces the app's default sign-in page (extension `sign-in-page:app`).
 */
export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./AppSignInPage').then(m => m.AppSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
