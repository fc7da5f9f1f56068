import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { tracesApiRef } from '../../api';
import { fakeTracesApi } from '../../testing/fakeTracesApi';
import { DEFAULT_FILTERS, TraceFilters } from './filterState';
import { TraceFiltersBar } from './TraceFiltersBar';

// typing into MUI text fields key by key is slow in jsdom

const RANGE = { start: 1_763_640_000, end: 1_763_643_600 };
const ENTITY = 'component:default/orders';

/** Keeps the filters in state like the tab does (via the URL) and records every change. */
function Harness(props: {
  initial?: TraceFilters;
  onChange: (f: TraceFilters) => void;
}) {
  const [filters, setFilters] = useState(props.initial ?? DEFAULT_FILTERS);
  return (
    <TraceFiltersBar
      filters={filters}
      onChange={next => {
        props.onChange(next);
        setFilters(next);
      }}
      entityRef={ENTITY}
      range={RANGE}
      nowMs={RANGE.end * 1000}
      onRefresh={jest.fn()}
    />
  );
}

const TAG_VALUES: Record<string, Array<{ type: string; value: string }>> = {
  'span.http.route': [
    { type: 'string', value: '/orders/{id}' },
    { type: 'string', value: '/orders' },
  ],
  'resource.deployment.environment': [{ type: 'string', value: 'production' }],
};

function setup(initial?: TraceFilters) {
  const onChange = jest.fn();
  const api = fakeTracesApi({
    getTagValues: async ({ tag }) => ({
      tag,
      values: TAG_VALUES[tag] ?? [],
    }),
    getTags: async () => ({
      scopes: [
        { name: 'span', tags: ['http.route', 'http.status_code'] },
        { name: 'resource', tags: ['service.name'] },
        { name: 'intrinsic', tags: ['status', 'name', 'duration'] },
      ],
    }),
  });
  renderInTestApp(<Harness initial={initial} onChange={onChange} />, {
    apis: [[tracesApiRef, api]],
  });
  return { onChange, api, user: userEvent.setup() };
}

describe('TraceFiltersBar', () => {
  it('switches time range presets', async () => {
    const { onChange, user } = setup();
    await user.click(screen.getByRole('combobox', { name: 'Time range' }));
    await user.click(screen.getByRole('option', { name: 'Last 7 days' }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_FILTERS,
      timeRange: { kind: 'preset', preset: '7d' },
    });
  });

  it('applies a custom range and refuses one that ends before it starts', async () => {
    const { onChange, user } = setup();
    await user.click(screen.getByRole('combobox', { name: 'Time range' }));
    await user.click(screen.getByRole('option', { name: 'Custom range…' }));

    const from = screen.getByLabelText('From');
    const to = screen.getByLabelText('To');
    fireEvent.change(from, { target: { value: '2025-11-20T12:00' } });
    fireEvent.change(to, { target: { value: '2025-11-20T11:00' } });
    expect(screen.getByText('"From" must be before "To"')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply range' })).toBeDisabled();

    fireEvent.change(to, { target: { value: '2025-11-20T13:30' } });
    await user.click(screen.getByRole('button', { name: 'Apply range' }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_FILTERS,
      timeRange: {
        kind: 'custom',
        fromMs: Date.UTC(2025, 10, 20, 12, 0),
        toMs: Date.UTC(2025, 10, 20, 13, 30),
      },
    });
  });

  it('toggles errors only and commits valid durations on Enter', async () => {
    const { onChange, user } = setup();
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_FILTERS,
      errorsOnly: true,
    });

    const min = screen.getByRole('textbox', { name: 'Min span duration' });
    await user.type(min, '250 ms{Enter}');
    expect(
      screen.getByText('Use a duration like 250ms, 1.5s or 2m'),
    ).toBeInTheDocument();
    expect(onChange).toHaveBeenCalledTimes(1);

    await user.clear(min);
    await user.type(min, '250ms{Enter}');
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_FILTERS,
      errorsOnly: true,
      minDuration: '250ms',
    });
  });

  it('suggests HTTP routes seen for the entity, loaded when opened', async () => {
    const { onChange, api, user } = setup();
    expect(api.getTagValues).not.toHaveBeenCalled();

    await user.click(screen.getByRole('combobox', { name: 'HTTP route' }));
    await user.click(
      await screen.findByRole('option', { name: '/orders/{id}' }),
    );
    expect(api.getTagValues).toHaveBeenCalledWith({
      tag: 'span.http.route',
      entityRef: ENTITY,
      ...RANGE,
    });
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_FILTERS,
      httpRoute: '/orders/{id}',
    });
  });

  it('offers the configured default, all environments and the ones seen in traces', async () => {
    const { onChange, user } = setup();
    await user.click(screen.getByRole('combobox', { name: 'Environment' }));
    await user.click(await screen.findByRole('option', { name: 'production' }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_FILTERS,
      environment: 'production',
    });

    await user.click(screen.getByRole('combobox', { name: 'Environment' }));
    await user.click(screen.getByRole('option', { name: 'All environments' }));
    expect(onChange).toHaveBeenLastCalledWith({
      ...DEFAULT_FILTERS,
      environment: '',
    });
  });

  describe('TraceQL', () => {
    async function openEditor(user: ReturnType<typeof userEvent.setup>) {
      await user.click(screen.getByRole('button', { name: 'TraceQL' }));
      return screen.getByRole('combobox', { name: 'TraceQL query' });
    }

    it('shows syntax errors inline and does not send the query', async () => {
      const { onChange, user } = setup();
      const editor = await openEditor(user);
      await user.type(editor, '{{ status = error ');

      const alert = screen.getByRole('alert');
      expect(alert).toHaveTextContent(/column 1/i);
      // the caret excerpt is visual only; the message describes the text box
      expect(editor).toHaveAccessibleDescription(
        within(alert).getByText(/column 1/).textContent!,
      );
      expect(screen.getByRole('button', { name: 'Run query' })).toBeDisabled();
      await user.keyboard('{Escape}{Enter}');
      expect(onChange).not.toHaveBeenCalled();
    });

    it('rejects metrics queries before sending', async () => {
      const { onChange, user } = setup();
      const editor = await openEditor(user);
      fireEvent.change(editor, { target: { value: '{ } | rate()' } });
      expect(screen.getByRole('alert')).toHaveTextContent(/metrics query/);
      expect(screen.getByRole('button', { name: 'Run query' })).toBeDisabled();
      expect(onChange).not.toHaveBeenCalled();
    });

    it('completes scoped attribute names and status values, then runs the query', async () => {
      const { onChange, api, user } = setup();
      const editor = await openEditor(user);
      await user.type(editor, '{{ http');

      const list = await screen.findByRole('listbox', {
        name: 'TraceQL suggestions',
      });
      expect(
        within(list)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['span.http.routespan', 'span.http.status_codespan']);
      expect(api.getTags).toHaveBeenCalledWith({ entityRef: ENTITY });
      await user.keyboard('{ArrowDown}{Enter}');
      expect(editor).toHaveValue('{ span.http.status_code');

      await user.type(editor, ' >= 500 && sta');
      await user.keyboard('{Enter}');
      await user.type(editor, ' = ');
      const values = await screen.findByRole('listbox', {
        name: 'TraceQL suggestions',
      });
      expect(
        within(values)
          .getAllByRole('option')
          .map(o => o.textContent),
      ).toEqual(['errorstatus', 'okstatus', 'unsetstatus']);
      await user.keyboard('{Enter}');
      await user.type(editor, ' }');
      expect(editor).toHaveValue(
        '{ span.http.status_code >= 500 && status = error }',
      );
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();

      await user.click(screen.getByRole('button', { name: 'Run query' }));
      expect(onChange).toHaveBeenLastCalledWith({
        ...DEFAULT_FILTERS,
        traceql: '{ span.http.status_code >= 500 && status = error }',
      });
      // the filter fields no longer apply while a TraceQL query is in effect
      await waitFor(() =>
        expect(
          screen.getByRole('checkbox', { name: 'Errors only' }),
        ).toBeDisabled(),
      );
      expect(
        screen.getByText(/Your TraceQL query is in effect/),
      ).toBeInTheDocument();
    });

    it('starts from the filters and clears back to them', async () => {
      const { onChange, user } = setup({
        ...DEFAULT_FILTERS,
        errorsOnly: true,
        traceql: '{ kind = client }',
      });
      const editor = screen.getByRole('combobox', { name: 'TraceQL query' });
      expect(editor).toHaveValue('{ kind = client }');

      await user.click(
        screen.getByRole('button', { name: 'Start from filters' }),
      );
      expect(editor).toHaveValue('{ status = error }');

      await user.click(
        screen.getByRole('button', { name: 'Clear query and use filters' }),
      );
      expect(onChange).toHaveBeenLastCalledWith({
        ...DEFAULT_FILTERS,
        errorsOnly: true,
        traceql: undefined,
      });
    });
  });
});
