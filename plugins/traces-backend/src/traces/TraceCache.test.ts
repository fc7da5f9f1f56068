import { mockServices } from '@backstage/backend-test-utils';
import {
  encodeCompactTrace,
  type Trace,
} from '@backstage-traces/plugin-traces-common';
import { estimateBytes, TraceCache } from './TraceCache';

function trace(spans: number): Trace {
  return {
    traceId: '1'.repeat(32),
    startTimeUnixNano: '1000',
    endTimeUnixNano: '2000',
    durationMs: 0.001,
    spanCount: spans,
    services: ['svc'],
    resources: [{ serviceName: 'svc', attributes: {} }],
    spans: Array.from({ length: spans }, (_, i) => ({
      spanId: i.toString(16).padStart(16, '0'),
      name: `span ${i}`,
      serviceName: 'svc',
      resourceIndex: 0,
      kind: 'internal' as const,
      status: { code: 'unset' as const },
      startTimeUnixNano: '1000',
      endTimeUnixNano: '2000',
      startMs: 0,
      durationMs: 0.001,
      attributes: { 'http.url': `https://example.com/${i}` },
      events: [],
      links: [],
    })),
  };
}

describe('TraceCache', () => {
  const one = encodeCompactTrace(trace(100));
  const size = estimateBytes(one);

  it('estimates within a factor of two of the real JSON size', () => {
    const big = encodeCompactTrace(trace(5000));
    const actual = JSON.stringify(big).length;
    expect(estimateBytes(big)).toBeGreaterThan(actual / 2);
    expect(estimateBytes(big)).toBeLessThan(actual * 2);
  });

  it('serves what it stored', async () => {
    const backing = new Map<string, unknown>();
    const store = mockServices.cache.mock({
      get: jest.fn(async (key: string) => backing.get(key)) as any,
      set: jest.fn(
        async (key: string, value: unknown) => void backing.set(key, value),
      ) as any,
      delete: jest.fn(async (key: string) => void backing.delete(key)),
    });
    const subject = new TraceCache(store, {
      ttlMs: 1000,
      maxBytes: 10 * size,
      maxTraceBytes: 10 * size,
    });
    expect(await subject.set('a', one)).toBe(true);
    expect(await subject.get('a')).toEqual(one);
    // One string for the cache service: Keyv serialises objects value by value in JavaScript.
    expect(store.set).toHaveBeenCalledWith('a', JSON.stringify(one), {
      ttl: 1000,
    });
    expect(await subject.get('missing')).toBeUndefined();
  });

  it('ignores entries that are not its JSON text (another version in a shared store)', async () => {
    const store = mockServices.cache.mock({
      get: jest.fn(async () => one) as any,
    });
    const subject = new TraceCache(store, {
      ttlMs: 1000,
      maxBytes: 10 * size,
      maxTraceBytes: 10 * size,
    });
    expect(await subject.get('a')).toBeUndefined();
  });

  it('evicts the least recently used entries beyond its byte bound', async () => {
    const backing = new Map<string, unknown>();
    const store = mockServices.cache.mock({
      get: jest.fn(async (key: string) => backing.get(key)) as any,
      set: jest.fn(
        async (key: string, value: unknown) => void backing.set(key, value),
      ) as any,
      delete: jest.fn(async (key: string) => void backing.delete(key)),
    });
    const subject = new TraceCache(store, {
      ttlMs: 1000,
      maxBytes: 2.5 * size,
      maxTraceBytes: 10 * size,
    });
    await subject.set('a', one);
    await subject.set('b', one);
    await subject.get('a'); // a is now the most recently used
    await subject.set('c', one);
    expect([...backing.keys()].sort()).toEqual(['a', 'c']);
    expect(store.delete).toHaveBeenCalledWith('b');
    expect(subject.size).toBe(2 * size);
  });

  it('does not cache traces over the per-trace bound', async () => {
    const store = mockServices.cache.mock();
    const subject = new TraceCache(store, {
      ttlMs: 1000,
      maxBytes: 100 * size,
      maxTraceBytes: size - 1,
    });
    expect(await subject.set('a', one)).toBe(false);
    expect(store.set).not.toHaveBeenCalled();
  });
});
