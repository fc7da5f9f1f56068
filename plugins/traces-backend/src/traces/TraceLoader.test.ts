import { ConfigReader } from '@backstage/config';
import { compactTraceOf, wideTree } from '../__testUtils__/compactTraces';
import { encodeTraceByIdResponse } from '../__testUtils__/tempoProto';
import { tempoTraceV2 } from '../__testUtils__/tempoTraceBuilder';
import { Redactor } from '../redaction/Redactor';
import type { TempoClient } from '../tempo/TempoClient';
import { LargeTraceStore } from './LargeTraceStore';
import { TraceLoader } from './TraceLoader';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function deferredTempo() {
  const calls: Array<(bytes: Uint8Array) => void> = [];
  const tempo = {
    traceByIdBody: jest.fn(
      () =>
        new Promise(resolve => {
          calls.push(bytes => resolve({ protobuf: bytes }));
        }),
    ),
  } as unknown as TempoClient & { traceByIdBody: jest.Mock };
  return { tempo, calls };
}

const body = (fanOut: number) =>
  encodeTraceByIdResponse(tempoTraceV2(TRACE, wideTree(fanOut, 2)));

describe('TraceLoader', () => {
  const redactor = Redactor.fromConfig(new ConfigReader({}));

  it('shares one Tempo request among concurrent loads of a trace', async () => {
    const { tempo, calls } = deferredTempo();
    const loader = new TraceLoader({ tempo, redactor });
    const first = loader.load({ traceId: TRACE });
    const second = loader.load({ traceId: TRACE });
    await Promise.resolve();
    expect(tempo.traceByIdBody).toHaveBeenCalledTimes(1);
    calls[0](body(3));
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a.spans.parent).toHaveLength(13);
  });

  it('does not share a load that carries its own abort signal', async () => {
    const { tempo, calls } = deferredTempo();
    const loader = new TraceLoader({ tempo, redactor });
    const plain = loader.load({ traceId: TRACE });
    const aborting = loader.load({
      traceId: TRACE,
      signal: new AbortController().signal,
    });
    await Promise.resolve();
    expect(tempo.traceByIdBody).toHaveBeenCalledTimes(2);
    calls.forEach(resolve => resolve(body(2)));
    await Promise.all([plain, aborting]);
  });

  it('keeps traces over the threshold decoded, with their tree', async () => {
    const { tempo, calls } = deferredTempo();
    const store = new LargeTraceStore({ maxBytes: 1e8, ttlMs: 60_000 });
    const loader = new TraceLoader({
      tempo,
      redactor,
      large: { store, thresholdSpans: 10 },
    });
    const opening = loader.open({ traceId: TRACE });
    await Promise.resolve();
    calls[0](body(3));
    const opened = await opening;
    expect(opened.tree?.size).toBe(13);
    const again = await loader.open({ traceId: TRACE });
    expect(again.compact).toBe(opened.compact);
    expect(again.tree).toBe(opened.tree);
    expect(tempo.traceByIdBody).toHaveBeenCalledTimes(1);
    expect(store.size).toBeGreaterThan(0);
  });

  it('opens traces under the threshold without a tree', async () => {
    const { tempo, calls } = deferredTempo();
    const loader = new TraceLoader({
      tempo,
      redactor,
      large: {
        store: new LargeTraceStore({ maxBytes: 1e8, ttlMs: 60_000 }),
        thresholdSpans: 100,
      },
    });
    const opening = loader.open({ traceId: TRACE });
    await Promise.resolve();
    calls[0](body(3));
    expect((await opening).tree).toBeUndefined();
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
