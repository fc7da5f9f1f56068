import { SignInPage } from '@backstage/core-components';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

/**
 * Sign-in with the guest provider, which the auth backend offers when
 * `auth.providers.guest` is configured (development, see app-config.yaml).
 */
export function GuestSignInPage(props: SignInPageProps) {
  const title = useApi(coreApis.config).getOptionalString('app.title');

  return (
    <SignInPage
      {...props}
      title={title ? `Sign in to ${title}` : undefined}
      align="center"
      providers={['guest']}
    />
  );
}
