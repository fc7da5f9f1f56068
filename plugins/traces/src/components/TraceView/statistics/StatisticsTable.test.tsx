import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { buildWaterfallModel } from '../waterfallModel';
import { checkoutTrace, windowedCheckout } from '../testTraces';
import { StatisticsTable } from './StatisticsTable';

const model = buildWaterfallModel(checkoutTrace());

/** Cell texts of the body rows. */
const bodyRows = () =>
  within(screen.getByRole('table', { name: 'Span statistics' }))
    .getAllByRole('row')
    .slice(1)
    .map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    );

describe('StatisticsTable', () => {
  it('lists service and operation groups, longest total first', () => {
    render(
      <StatisticsTable model={model} onSelectRow={jest.fn()} height={400} />,
    );
    const rows = bodyRows();
    expect(rows.map(r => `${r[0]} ${r[1]}`)).toEqual([
      'frontend GET /checkout',
      'payments POST /pay',
      'cart GET cart',
      'auth POST /auth/verify',
      'cart SELECT carts',
    ]);
    // spans, total, average, min, max, self, errors
    expect(rows[2].slice(2)).toEqual([
      '1',
      '30ms',
      '30ms',
      '30ms',
      '30ms',
      '10ms',
      '1',
    ]);
    expect(screen.getByText(/5 groups of 5 spans/)).toBeInTheDocument();
  });

  it('sorts by a column, both ways', async () => {
    render(
      <StatisticsTable model={model} onSelectRow={jest.fn()} height={400} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Self time' }));
    expect(bodyRows()[0][1]).toBe('POST /pay');
    await userEvent.click(screen.getByRole('button', { name: 'Self time' }));
    expect(bodyRows()[0][1]).toBe('GET cart');
    await userEvent.click(screen.getByRole('button', { name: 'Operation' }));
    expect(bodyRows()[0][1]).toBe('GET /checkout');
  });

  it('groups by an attribute picked from the trace', async () => {
    render(
      <StatisticsTable model={model} onSelectRow={jest.fn()} height={400} />,
    );
    await userEvent.click(screen.getByRole('combobox', { name: 'Group by' }));
    await userEvent.click(screen.getByRole('option', { name: 'Status' }));
    await userEvent.click(screen.getByRole('combobox', { name: 'Then by' }));
    await userEvent.click(screen.getByRole('option', { name: 'Nothing' }));
    const rows = bodyRows();
    expect(rows.map(r => [r[0], r[1]])).toEqual([
      ['unset', '4'],
      ['error', '1'],
    ]);
    await userEvent.click(screen.getByRole('combobox', { name: 'Group by' }));
    await userEvent.click(screen.getByRole('option', { name: 'cart.id' }));
    expect(bodyRows().map(r => [r[0], r[1]])).toEqual([
      ['(none)', '4'],
      ['c-42', '1'],
    ]);
  });

  it('says when only the loaded window of a large trace is counted', () => {
    const first = windowedCheckout.first();
    render(
      <StatisticsTable
        model={buildWaterfallModel(first)}
        onSelectRow={jest.fn()}
        height={400}
      />,
    );
    expect(
      screen.getByText(
        new RegExp(
          `of ${first.spans.length} spans · loaded spans only, of ${
            first.window!.totalSpans
          } in the trace`,
        ),
      ),
    ).toBeInTheDocument();
  });

  it("selects a group's longest span", async () => {
    const onSelectRow = jest.fn();
    render(
      <StatisticsTable model={model} onSelectRow={onSelectRow} height={400} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'payments' }));
    expect(model.spans[onSelectRow.mock.calls[0][0]].name).toBe('POST /pay');
  });
});
