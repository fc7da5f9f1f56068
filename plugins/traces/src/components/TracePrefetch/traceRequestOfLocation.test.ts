import { traceRequestOfLocation } from './traceRequestOfLocation';

describe('traceRequestOfLocation', () => {
  it('reads the entity Traces tab: the entity scopes the request, spanId is the focus', () => {
    expect(
      traceRequestOfLocation(
        '/catalog/default/component/web-gateway/traces',
        '?traceId=4bf92f3577b34da6a3ce929d0e0e4736&spanId=00f067aa0ba902b7',
      ),
    ).toEqual({
      location: 'entity-tab',
      request: {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        entityRef: 'component:default/web-gateway',
        focusSpanId: '00f067aa0ba902b7',
      },
    });
  });

  it('reads the traces page, with the range of a Grafana link', () => {
    expect(
      traceRequestOfLocation(
        '/traces/trace/abc',
        '?from=1700000000000&to=1700000600500',
      ),
    ).toEqual({
      location: 'traces-page',
      request: {
        traceId: '00000000000000000000000000000abc',
        start: 1700000000,
        end: 1700000601,
        focusSpanId: undefined,
      },
    });
  });

  it('ignores other pages, a tab without a trace and IDs that are not trace IDs', () => {
    expect(
      traceRequestOfLocation('/catalog/default/component/web-gateway', ''),
    ).toBeUndefined();
    expect(
      traceRequestOfLocation(
        '/catalog/default/component/web-gateway/traces',
        '?q=%7B%7D',
      ),
    ).toBeUndefined();
    expect(
      traceRequestOfLocation('/traces/trace/not-an-id', ''),
    ).toBeUndefined();
    expect(traceRequestOfLocation('/traces', '?traceId=abc')).toBeUndefined();
  });
});
