import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { buildWaterfallModel } from './waterfallModel';
import { SpanDetails } from './SpanDetails';
import { detailedCheckoutTrace, makeTrace } from './testTraces';

function renderDetails(row: number, extra: { onOpenTrace?: jest.Mock } = {}) {
  const model = buildWaterfallModel(detailedCheckoutTrace());
  const onSelectRow = jest.fn();
  renderInTestApp(
    <SpanDetails
      model={model}
      row={row}
      onSelectRow={onSelectRow}
      onOpenTrace={extra.onOpenTrace}
    />,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { model, onSelectRow };
}

const CART = 2;
/** The value next to a label of the summary list. */
const field = (label: string) =>
  screen.getByText(label, { selector: 'dt' }).nextElementSibling as HTMLElement;

describe('SpanDetails', () => {
  it('summarises the span with its owning catalog entity and owner', async () => {
    renderDetails(CART);
    expect(
      await screen.findByRole('heading', { name: 'GET cart' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Cart Service' })).toHaveAttribute(
      'href',
      '/catalog/default/component/cart-service',
    );
    expect(screen.getByRole('link', { name: /team-checkout/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/team-checkout',
    );
    expect(field('Status')).toHaveTextContent('Error: cart is locked');
    expect(field('Kind')).toHaveTextContent('server');
    expect(field('Start')).toHaveTextContent('+30ms');
    expect(field('Duration')).toHaveTextContent('30ms');
    // 30 ms minus the 20 ms child; on the critical path: 55..60 and 30..35.
    expect(field('Self time')).toHaveTextContent('10ms');
    expect(field('On critical path')).toHaveTextContent('10ms');
    expect(field('Instrumentation')).toHaveTextContent(
      'io.opentelemetry.dotnet 1.9.0',
    );
    expect(field('Span ID')).toHaveTextContent('aaaaaaaaaaaaaaa3');
  });

  it('notes a child that lies outside its parent (clock skew)', async () => {
    const model = buildWaterfallModel(
      makeTrace([
        { spanId: 'p', startMs: 10, durationMs: 20 },
        { spanId: 'c', parentSpanId: 'p', startMs: 8, durationMs: 30 },
      ]),
    );
    renderInTestApp(
      <SpanDetails
        model={model}
        row={model.indexOf('c')!}
        onSelectRow={jest.fn()}
      />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('Clock skew?')).toBeInTheDocument();
    expect(field('Clock skew?')).toHaveTextContent(
      /^starts 2ms before and ends 8ms after its parent\./,
    );
  });

  it('says when no catalog entity claims the service', async () => {
    renderDetails(1);
    expect(
      await screen.findByText('No catalog entity claims this service'),
    ).toBeInTheDocument();
  });

  it('marks masked values, by redacted key and by mask text', async () => {
    renderDetails(CART);
    const spanAttrs = await screen.findByRole('region', {
      name: 'Span attributes',
    });
    const row = (key: string) =>
      within(spanAttrs).getByRole('rowheader', { name: key }).closest('tr')!;
    expect(
      within(row('http.request.header.authorization')).getByText('masked'),
    ).toBeInTheDocument();
    expect(
      within(row('db.connection_string')).getByText('masked'),
    ).toBeInTheDocument();
    expect(
      within(spanAttrs).queryByText('postgres://cart@db/cart'),
    ).not.toBeInTheDocument();
    expect(
      within(row('cart.id')).queryByText('masked'),
    ).not.toBeInTheDocument();
    expect(within(row('cart.id')).getByText('c-42')).toBeInTheDocument();
  });

  it('lets attribute keys wrap at their dots, not inside words', async () => {
    renderDetails(CART);
    const spanAttrs = await screen.findByRole('region', {
      name: 'Span attributes',
    });
    const key = within(spanAttrs).getByRole('rowheader', {
      name: 'http.request.header.authorization',
    });
    // A break opportunity after each of the three dots, and no break-all.
    expect(key.querySelectorAll('wbr')).toHaveLength(3);
    expect(getComputedStyle(key).wordBreak).not.toBe('break-all');
  });

  it('renders values by type', async () => {
    renderDetails(CART);
    const spanAttrs = await screen.findByRole('region', {
      name: 'Span attributes',
    });
    expect(within(spanAttrs).getByText('500')).toHaveAttribute(
      'data-kind',
      'number',
    );
    expect(within(spanAttrs).getByText('false')).toHaveAttribute(
      'data-kind',
      'boolean',
    );
    expect(within(spanAttrs).getByText(/"sku-1",/)).toBeInTheDocument();
  });

  it('filters span and resource attributes with one box', async () => {
    renderDetails(CART);
    await userEvent.type(
      await screen.findByLabelText('Filter attributes'),
      'pod',
    );
    expect(
      screen.getByRole('heading', { name: 'Span attributes (0 of 6)' }),
    ).toBeInTheDocument();
    const resource = screen.getByRole('region', {
      name: 'Resource attributes of cart',
    });
    expect(within(resource).getByText('cart-7d9f-x1')).toBeInTheDocument();
    expect(
      within(resource).queryByText('service.name'),
    ).not.toBeInTheDocument();
  });

  it('lists events with offsets, highlighting exceptions with their stack trace', async () => {
    renderDetails(CART);
    const events = await screen.findByRole('region', { name: 'Events' });
    expect(within(events).getByText('+2ms')).toBeInTheDocument();
    const exception = within(events).getByRole('listitem', {
      name: 'Exception event: System.InvalidOperationException',
    });
    expect(
      within(exception).getByText(
        'System.InvalidOperationException: Sequence contains no elements',
      ),
    ).toBeInTheDocument();
    expect(within(exception).getByLabelText('Stack trace')).toHaveTextContent(
      'at Cart.Load()',
    );
  });

  it('follows links: into this trace by selection, to another trace by opening it', async () => {
    const onOpenTrace = jest.fn();
    const { onSelectRow } = renderDetails(CART, { onOpenTrace });
    const links = await screen.findByRole('region', { name: 'Links' });
    await userEvent.click(
      within(links).getByRole('button', { name: 'Go to span POST /pay' }),
    );
    expect(onSelectRow).toHaveBeenCalledWith(4);
    await userEvent.click(
      within(links).getByRole('button', { name: 'Open linked trace' }),
    );
    expect(onOpenTrace).toHaveBeenCalledWith(
      '11111111111111111111111111111111',
      'bbbbbbbbbbbbbbbb',
    );
  });

  it('selects the parent span', async () => {
    const { onSelectRow } = renderDetails(3);
    await userEvent.click(
      await screen.findByRole('button', { name: 'GET cart' }),
    );
    expect(onSelectRow).toHaveBeenCalledWith(CART);
  });
});
