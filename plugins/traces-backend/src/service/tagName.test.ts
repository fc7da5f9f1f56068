import { toTraceQLTagName } from './tagName';

describe('toTraceQLTagName', () => {
  it.each([
    ['span.http.route', 'span.http.route'],
    ['resource.service.name', 'resource.service.name'],
    ['service.name', '.service.name'],
    ['.service.name', '.service.name'],
    [' http.route ', '.http.route'],
    ['span."a b"', 'span."a b"'],
    ['span.spanner', 'span.spanner'],
    ['k8s.pod.uid', '.k8s.pod.uid'],
    ['été', '.été'],
    ['status', 'status'],
    ['duration', 'duration'],
    ['span:name', 'span:name'],
    ['trace:rootService', 'trace:rootService'],
    ['event:name', 'event:name'],
    ['rootServiceName', 'rootServiceName'],
  ])('reads %j as %j', (tag, identifier) => {
    expect(toTraceQLTagName(tag)).toBe(identifier);
  });

  it.each([
    ['', /^The tag name is empty$/],
    ['   ', /^The tag name is empty$/],
    [
      '../../api/search',
      /contains '\/', which Tempo's tag-values API cannot take/,
    ],
    ['k8s.pod.labels.app.kubernetes.io/name', /contains '\/'/],
    ['.', /is not a TraceQL attribute/],
    ['..', /a name cannot start with a dot/],
    ['span..x', /a name cannot start with a dot/],
    ['\u0000', /contains a control character/],
    ['a\r\nb', /contains a control character/],
    ['\u0085x', /contains a control character/],
    ['span.', /is not a TraceQL attribute/],
    ['a b', /is not a TraceQL attribute: write scope\.name/],
    ['span.a || .b', /is not a TraceQL attribute/],
    ['span.a=1', /is not a TraceQL attribute/],
    ['.a}', /is not a TraceQL attribute/],
    ['."open', /is not a TraceQL attribute/],
    ['span:nope', /is not a TraceQL intrinsic/],
    ['foo:bar', /is not a TraceQL intrinsic/],
    ['x'.repeat(257), /is longer than 256 characters/],
  ])('refuses %j with a 400', (tag, message) => {
    let error: Error | undefined;
    try {
      toTraceQLTagName(tag);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(message);
  });
});
