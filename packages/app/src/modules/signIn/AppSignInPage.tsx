import { SignInPage } from '@backstage/core-components';
import {
  coreApis,
  githubAuthApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

const github = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in using GitHub',
  apiRef: githubAuthApiRef,
};

/**
 * Sign-in with the providers the auth backend offers in this environment
 * (`auth.environment`): GitHub in production (app-config.production.yaml),
 * the guest provider in development (app-config.yaml).
 */
export function AppSignInPage(props: SignInPageProps) {
  const config = useApi(coreApis.config);
  const title = config.getOptionalString('app.title');
  const production =
    config.getOptionalString('auth.environment') === 'production';

  return (
    <SignInPage
      {...props}
      title={title ? `Sign in to ${title}` : undefined}
      align="center"
      providers={production ? [github] : ['guest']}
    />
  );
}
