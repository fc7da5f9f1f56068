import { NotFoundError } from '@backstage/errors';
import type { CompactTrace } from '@backstage-traces/plugin-traces-common';
import {
  compactTraceOf,
  WINDOW_TRACE as TRACE,
  wideTree,
} from '../__testUtils__/compactTraces';
import { ConfigReader } from '@backstage/config';
import {
  otlpRequestsOfGeneratedTrace,
  tempoResourceSpansOf,
} from '../../bench/tempoJsonOfGeneratedTrace';
import { encodeTraceByIdResponseParts } from '../__testUtils__/tempoProto';
import { Redactor } from '../redaction/Redactor';
import { protobufToCompact } from '../tempo/protobufToCompact';
import { scanProtobufTrace } from '../tempo/scanProtobufTrace';
import { LargeTraceStore } from './LargeTraceStore';
import type { TraceCache } from './TraceCache';
import { TraceLoader, type LoadTraceRequest } from './TraceLoader';

/** A store whose trace reads wait until the test answers them. */
function deferredStore() {
  const calls: Array<(compact: CompactTrace | undefined) => void> = [];
  const fetchTrace = jest.fn(
    (_request: LoadTraceRequest) =>
      new Promise<CompactTrace | undefined>(resolve => {
        calls.push(resolve);
      }),
  );
  return { fetchTrace, calls };
}

const body = (fanOut: number) => compactTraceOf(wideTree(fanOut, 2));

describe('TraceLoader', () => {
  const storeName = 'Test store';

  it('shares one store request among concurrent loads of a trace', async () => {
    const { fetchTrace, calls } = deferredStore();
    const loader = new TraceLoader({ fetchTrace, storeName });
    const first = loader.load({ traceId: TRACE });
    const second = loader.load({ traceId: TRACE });
    await Promise.resolve();
    expect(fetchTrace).toHaveBeenCalledTimes(1);
    calls[0](body(3));
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a.spans.parent).toHaveLength(13);
  });

  it('does not share a load that carries its own abort signal', async () => {
    const { fetchTrace, calls } = deferredStore();
    const loader = new TraceLoader({ fetchTrace, storeName });
    const plain = loader.load({ traceId: TRACE });
    const aborting = loader.load({
      traceId: TRACE,
      signal: new AbortController().signal,
    });
    await Promise.resolve();
    expect(fetchTrace).toHaveBeenCalledTimes(2);
    calls.forEach(resolve => resolve(body(2)));
    await Promise.all([plain, aborting]);
  });

  it('keeps traces over the threshold decoded, with their tree', async () => {
    const { fetchTrace, calls } = deferredStore();
    const store = new LargeTraceStore({ maxBytes: 1e8, ttlMs: 60_000 });
    const loader = new TraceLoader({
      fetchTrace,
      storeName,
      large: { store, thresholdSpans: 10, windowSpans: 5 },
    });
    const opening = loader.open({ traceId: TRACE });
    await Promise.resolve();
    calls[0](body(3));
    const opened = await opening;
    expect(opened.tree?.size).toBe(13);
    const again = await loader.open({ traceId: TRACE });
    expect(again.compact).toBe(opened.compact);
    expect(again.tree).toBe(opened.tree);
    expect(fetchTrace).toHaveBeenCalledTimes(1);
    expect(store.size).toBeGreaterThan(0);
  });

  it('answers before writing the trace to the cache, and serves it meanwhile', async () => {
    const { fetchTrace, calls } = deferredStore();
    const stored = new Map<string, CompactTrace>();
    let finishWrite = () => {};
    const cache = {
      get: jest.fn(async (key: string) => stored.get(key)),
      set: jest.fn(
        (key: string, trace: CompactTrace) =>
          new Promise<boolean>(resolve => {
            finishWrite = () => resolve(!!stored.set(key, trace));
          }),
      ),
    };
    const loader = new TraceLoader({
      fetchTrace,
      storeName,
      cache: cache as unknown as TraceCache,
    });
    const loading = loader.load({ traceId: TRACE });
    while (!calls.length) await Promise.resolve();
    calls[0](body(2));
    const trace = await loading;
    expect(cache.set).not.toHaveBeenCalled();
    await new Promise(setImmediate);
    expect(cache.set).toHaveBeenCalledWith(expect.any(String), trace);
    // The write is still under way: the trace comes from memory, not from the store again.
    expect(await loader.load({ traceId: TRACE })).toBe(trace);
    expect(fetchTrace).toHaveBeenCalledTimes(1);
    finishWrite();
    await new Promise(setImmediate);
    expect(await loader.load({ traceId: TRACE })).toBe(trace);
    expect(cache.get).toHaveBeenCalledTimes(2);
    expect(fetchTrace).toHaveBeenCalledTimes(1);
  });

  it('keeps a scanned trace out of the cache service and decodes it whole when asked', async () => {
    const protobuf = encodeTraceByIdResponseParts(
      otlpRequestsOfGeneratedTrace(1200).map(text => ({
        resourceSpans: tempoResourceSpansOf(text),
      })),
    );
    const redactor = Redactor.fromConfig(new ConfigReader({}));
    const fetchTrace = jest.fn(() =>
      scanProtobufTrace(protobuf, '0', redactor),
    );
    const cache = { get: jest.fn(), set: jest.fn() };
    const loader = new TraceLoader({
      fetchTrace,
      storeName,
      cache: cache as unknown as TraceCache,
      large: {
        store: new LargeTraceStore({ maxBytes: 1e9, ttlMs: 60_000 }),
        thresholdSpans: 1000,
        windowSpans: 100,
      },
    });
    const first = await loader.window({ traceId: TRACE });
    expect(first.spans.parent).toHaveLength(100);
    expect(first.window?.totalSpans).toBe(1200);
    // Names and attributes come from the window's own decode, not the scan's blanks.
    expect(first.strings.length).toBeGreaterThan(20);
    const rootId = first.spans.ids.slice(0, 16);
    const below = await loader.subtree({ traceId: TRACE, spanId: rootId });
    expect(below.spans.parent.length).toBeGreaterThan(0);
    expect(await loader.load({ traceId: TRACE })).toEqual(
      protobufToCompact(protobuf, '0', redactor),
    );
    expect(fetchTrace).toHaveBeenCalledTimes(1);
    expect(cache.set).not.toHaveBeenCalled();
  });

  it('opens traces under the threshold without a tree', async () => {
    const { fetchTrace, calls } = deferredStore();
    const loader = new TraceLoader({
      fetchTrace,
      storeName,
      large: {
        store: new LargeTraceStore({ maxBytes: 1e8, ttlMs: 60_000 }),
        thresholdSpans: 100,
        windowSpans: 50,
      },
    });
    const opening = loader.open({ traceId: TRACE });
    await Promise.resolve();
    calls[0](body(3));
    expect((await opening).tree).toBeUndefined();
  });
});

describe('TraceLoader windows', () => {
  const id = (n: number) => n.toString(16).padStart(16, '0');
  // 1 root, 3 children, 9 grandchildren: over the threshold of 10.
  const loader = (firstWindowSpans?: number) =>
    new TraceLoader({
      fetchTrace: async () => compactTraceOf(wideTree(3, 2)),
      storeName: 'Test store',
      large: {
        store: new LargeTraceStore({ maxBytes: 1e8, ttlMs: 60_000 }),
        thresholdSpans: 10,
        windowSpans: 5,
        firstWindowSpans,
      },
    });

  it('opens a large trace at its first window, with the focused span', async () => {
    const window = await loader().window({
      traceId: TRACE,
      focusSpanId: id(13),
    });
    expect(window.window?.totalSpans).toBe(13);
    expect(window.spans.parent.length).toBeLessThanOrEqual(5);
    expect(window.spans.ids).toContain(id(13));
  });

  it('answers the next window below a span, and 404 for a span not in the trace', async () => {
    const traces = loader();
    const below = await traces.subtree({ traceId: TRACE, spanId: id(1) });
    expect(below.window?.totalSpans).toBe(13);
    expect(below.spans.ids).not.toContain(id(1));
    expect(below.spans.parent).toHaveLength(5);
    await expect(
      traces.subtree({ traceId: TRACE, spanId: id(99) }),
    ).rejects.toThrow(
      new NotFoundError(`Span ${id(99)} is not in trace ${TRACE}`),
    );
  });

  it('opens with a smaller first window when asked, later windows at their own size', async () => {
    const traces = loader(3);
    const first = await traces.window({ traceId: TRACE });
    expect(first.spans.parent).toHaveLength(3);
    // The notice says how many each further window loads.
    expect(first.window?.windowSpans).toBe(5);
    const below = await traces.subtree({ traceId: TRACE, spanId: id(1) });
    expect(below.spans.parent).toHaveLength(5);
  });

  it('answers a small trace whole', async () => {
    const small = new TraceLoader({
      fetchTrace: async () => compactTraceOf(wideTree(2, 1)),
      storeName: 'Test store',
    });
    const whole = await small.window({ traceId: TRACE });
    expect(whole.window).toBeUndefined();
    expect(whole.spans.parent).toHaveLength(3);
  });

  it('names the store when it does not have the trace', async () => {
    const missing = new TraceLoader({
      fetchTrace: async () => undefined,
      storeName: 'Test store',
    });
    await expect(missing.load({ traceId: TRACE })).rejects.toThrow(
      /^Trace .* was not found in Test store/,
    );
  });
});

describe('LargeTraceStore', () => {
  const a = compactTraceOf(wideTree(3, 2));
  const b = compactTraceOf(wideTree(4, 2));

  it('evicts the least recently used trace beyond its byte bound', () => {
    const probe = new LargeTraceStore({ maxBytes: 1e9, ttlMs: 60_000 });
    probe.set('a', a);
    const one = probe.size;
    const store = new LargeTraceStore({ maxBytes: one * 2.2, ttlMs: 60_000 });
    store.set('a', a);
    store.set('b', compactTraceOf(wideTree(3, 2)));
    expect(store.get('a')).toBe(a);
    store.set('c', a);
    // 'b' was the least recently used.
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBe(a);
    expect(store.get('c')).toBe(a);
  });

  it('refuses a trace larger than the whole bound', async () => {
    const store = new LargeTraceStore({ maxBytes: 100, ttlMs: 60_000 });
    expect(store.set('a', a)).toBe(false);
    expect(store.get('a')).toBeUndefined();
    // A tree is still built for the one request.
    expect((await store.treeOf('a', a)).size).toBe(13);
  });

  it('forgets traces after their time to live', () => {
    jest.useFakeTimers();
    try {
      const store = new LargeTraceStore({ maxBytes: 1e9, ttlMs: 1000 });
      store.set('a', a);
      store.set('p', b, 100);
      jest.advanceTimersByTime(150);
      expect(store.get('p')).toBeUndefined();
      expect(store.get('a')).toBe(a);
      jest.advanceTimersByTime(1000);
      expect(store.get('a')).toBeUndefined();
      expect(store.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
