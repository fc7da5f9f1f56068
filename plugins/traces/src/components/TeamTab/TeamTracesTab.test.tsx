import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type {
  TeamComponentTraces,
  TeamTracesResponse,
} from '@backstage-traces/plugin-traces-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { tracesApiRef } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { TeamTracesTab } from './TeamTracesTab';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'engineering', namespace: 'default' },
  spec: { type: 'department', children: [] },
};

function component(
  name: string,
  values: Partial<TeamComponentTraces>,
): TeamComponentTraces {
  return {
    entityRef: `component:default/${name}`,
    title: name,
    owner: 'group:default/shop-team',
    serviceNames: [name],
    spanCount: 100,
    requestRate: 0,
    errorRate: 0,
    ...values,
  };
}

const TEAM: TeamTracesResponse = {
  entityRef: 'group:default/engineering',
  groups: ['group:default/engineering', 'group:default/shop-team'],
  groupsTruncated: false,
  start: 0,
  end: 3600,
  components: [
    component('frontend', {
      requestRate: 2,
      errorRate: 0.02,
      errorRatio: 0.01,
      p95Ms: 120,
    }),
    component('payments-api', {
      owner: 'group:default/payments-team',
      requestRate: 0.5,
      errorRate: 0.25,
      errorRatio: 0.5,
      p95Ms: 2400,
    }),
    component('orders-api', {
      requestRate: 1,
      errorRate: 0,
      errorRatio: 0,
      p95Ms: 45,
    }),
    component('idle-api', { spanCount: 0 }),
  ],
  slowestOperations: [
    {
      entityRef: 'component:default/payments-api',
      serviceName: 'payments-api',
      name: 'POST /payments',
      requestRate: 0.5,
      errorRate: 0.25,
      errorRatio: 0.5,
      p95Ms: 2400,
    },
  ],
  mostErroringOperations: [
    {
      entityRef: 'component:default/payments-api',
      serviceName: 'payments-api',
      name: 'POST /payments',
      requestRate: 0.5,
      errorRate: 0.25,
      errorRatio: 0.5,
      p95Ms: 2400,
    },
  ],
  unannotated: [{ entityRef: 'component:default/docs-site' }],
  deniedCount: 2,
  queries: [],
};

async function render(team: TeamTracesResponse = TEAM) {
  const api = fakeTracesApi({ getTeamTraces: async () => team });
  await renderInTestApp(
    <EntityProvider entity={group}>
      <TeamTracesTab />
    </EntityProvider>,
    {
      apis: [[tracesApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/catalog/default/group/engineering/traces'],
    },
  );
  return { api, user: userEvent.setup() };
}

const componentTable = () =>
  screen.findByRole('table', { name: 'Components of the team' });

/** The component names in the table's row order. */
async function order() {
  const rows = within(await componentTable())
    .getAllByRole('row')
    .slice(1);
  return rows.map(row => within(row).getAllByRole('link')[0].textContent);
}

describe('TeamTracesTab', () => {
  it('asks for the group over the last hour', async () => {
    const { api } = await render();
    await componentTable();
    expect(api.getTeamTraces).toHaveBeenCalledWith({
      entityRef: 'group:default/engineering',
      start: expect.any(Number),
      end: expect.any(Number),
    });
    const { start, end } = api.getTeamTraces.mock.calls[0][0];
    expect(end! - start!).toBe(3600);
  });

  it('sorts by requests first, then by the column clicked, both ways', async () => {
    const { user } = await render();
    expect(await order()).toEqual([
      'frontend',
      'orders-api',
      'payments-api',
      'idle-api',
    ]);
    await user.click(screen.getByRole('button', { name: 'Error rate' }));
    expect(await order()).toEqual([
      'payments-api',
      'frontend',
      'orders-api',
      'idle-api', // no requests: last either way
    ]);
    await user.click(screen.getByRole('button', { name: 'p95' }));
    expect((await order())[0]).toBe('payments-api');
    await user.click(screen.getByRole('button', { name: 'p95' }));
    expect(await order()).toEqual([
      'orders-api',
      'frontend',
      'payments-api',
      'idle-api',
    ]);
    await user.click(screen.getByRole('button', { name: 'Component' }));
    expect(await order()).toEqual([
      'frontend',
      'idle-api',
      'orders-api',
      'payments-api',
    ]);
  });

  it('links each component and operation into its Traces tab on the same range', async () => {
    await render();
    const table = await componentTable();
    expect(
      within(table).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/traces?range=1h',
    );
    const row = within(table)
      .getByRole('link', { name: 'frontend' })
      .closest('tr')!;
    expect(within(row).getByText('2/s')).toBeInTheDocument();
    expect(within(row).getByText('1%')).toBeInTheDocument();
    expect(within(row).getByText('120ms')).toBeInTheDocument();

    const slowest = screen.getByRole('table', { name: 'Slowest operations' });
    expect(
      within(slowest).getByRole('link', { name: 'POST /payments' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/traces?range=1h&spanName=POST+%2Fpayments',
    );
    const erroring = screen.getByRole('table', {
      name: 'Most erroring operations',
    });
    expect(
      within(erroring).getByRole('link', { name: 'POST /payments' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/traces?range=1h&spanName=POST+%2Fpayments&errors=1',
    );
  });

  it('notes components without traces, without the annotation and hidden by permissions', async () => {
    await render();
    await componentTable();
    expect(screen.getByText('No traces in this range')).toBeInTheDocument();
    const notes = screen.getAllByRole('alert').map(note => note.textContent);
    expect(notes).toEqual([
      expect.stringMatching(
        /^1 component has no traces in this range: idle-api\. .*opentelemetry\.io\/service-name annotation/,
      ),
      expect.stringMatching(
        /^1 component has no opentelemetry\.io\/service-name annotation and is not shown: docs-site\.$/,
      ),
      '2 components are not shown: you may not read their traces.',
    ]);
  });

  it('changes the range through the URL and asks again', async () => {
    const { api, user } = await render();
    await componentTable();
    await user.click(screen.getByRole('combobox', { name: 'Time range' }));
    await user.click(screen.getByRole('option', { name: 'Last 6 hours' }));
    await componentTable();
    const { start, end } = api.getTeamTraces.mock.calls.at(-1)![0];
    expect(end! - start!).toBe(6 * 3600);
    expect(
      within(await componentTable()).getByRole('link', { name: 'frontend' }),
    ).toHaveAttribute('href', expect.stringContaining('range=6h'));
  });

  it('explains an empty team', async () => {
    await render({
      ...TEAM,
      components: [],
      slowestOperations: [],
      mostErroringOperations: [],
      deniedCount: 0,
    });
    expect(await screen.findByText('No traced components')).toBeInTheDocument();
  });
});
