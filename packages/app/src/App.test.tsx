import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from './App';

const appConfig = {
  app: { title: 'Backstage Traces', baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
};

const GUEST_REFRESH_URL = 'http://localhost:7007/api/auth/guest/refresh';

/** An unsigned JWT; the frontend only reads its expiry. */
function fakeBackstageToken(): string {
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return `${encode({ alg: 'none' })}.${encode({
    sub: 'user:default/guest',
    exp,
  })}.`;
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** Answers like an auth backend with the guest provider enabled. */
function mockBackend() {
  return jest.spyOn(global, 'fetch').mockImplementation(async input => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith(GUEST_REFRESH_URL)) {
      return jsonResponse({
        profile: { displayName: 'Guest' },
        backstageIdentity: {
          token: fakeBackstageToken(),
          identity: {
            type: 'user',
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: ['user:default/guest'],
          },
        },
      });
    }
    return jsonResponse({ items: [], totalItems: 0, pageInfo: {} });
  });
}

describe('App', () => {
  const originalEnv = process.env;

  beforeEach(() => {
    // The app reads its static config from APP_CONFIG, an array of config
    // objects. Properties of the real process.env are coerced to strings, so
    // the whole object is replaced.
    process.env = {
      ...originalEnv,
      APP_CONFIG: [{ data: appConfig, context: 'test' }] as unknown as string,
    };
  });

  afterEach(() => {
    process.env = originalEnv;
    localStorage.clear();
    jest.restoreAllMocks();
  });

  it('shows the guest sign-in page on the first visit', async () => {
    const fetchSpy = mockBackend();

    render(App.createRoot());

    expect(
      await screen.findByText('Sign in to Backstage Traces'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
    expect(fetchSpy).not.toHaveBeenCalledWith(
      expect.stringContaining(GUEST_REFRESH_URL),
      expect.anything(),
    );
  });

  it('signs in as guest and renders the sidebar', async () => {
    const fetchSpy = mockBackend();

    render(App.createRoot());
    await userEvent.click(await screen.findByRole('button', { name: 'Enter' }));

    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    expect(nav).toBeInTheDocument();
    expect(fetchSpy).toHaveBeenCalledWith(
      expect.stringContaining(GUEST_REFRESH_URL),
      expect.anything(),
    );
    expect(
      within(nav).getByRole('link', { name: 'Catalog' }),
    ).toBeInTheDocument();
    expect(
      within(nav).getByRole('link', { name: 'Settings' }),
    ).toBeInTheDocument();
  });
});
