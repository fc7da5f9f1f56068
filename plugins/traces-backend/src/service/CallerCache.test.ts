import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { CallerCache } from './CallerCache';

const alice: BackstageCredentials = mockCredentials.user('user:default/alice');
const bob: BackstageCredentials = mockCredentials.user('user:default/bob');
const catalogService: BackstageCredentials =
  mockCredentials.service('plugin:catalog');

/** A cache of string lists (their length is their size) and the loads it made. */
function listCache(options: { ttlMs?: number; maxSize?: number } = {}) {
  const loads: string[] = [];
  const cache = new CallerCache<string[], { name: string; size: number }>({
    ttlMs: options.ttlMs ?? 60_000,
    maxSize: options.maxSize ?? 1_000,
    keyOf: question => question.name,
    size: list => list.length,
    load: async (credentials, { name, size }) => {
      loads.push(`${(credentials.principal as { type: string }).type}:${name}`);
      return Array.from({ length: size }, (_, i) => `${name}-${i}`);
    },
  });
  const get = (name: string, size = 1, credentials = alice) =>
    cache.get(credentials, { name, size });
  return { get, loads };
}

describe('CallerCache', () => {
  it('keeps an answer per caller and question', async () => {
    const { get, loads } = listCache();
    expect(await get('a', 2)).toEqual(['a-0', 'a-1']);
    expect(await get('a', 2)).toEqual(['a-0', 'a-1']);
    expect(loads).toHaveLength(1);
    await get('a', 2, bob);
    await get('a', 2, catalogService);
    await get('b');
    expect(loads).toEqual(['user:a', 'user:a', 'service:a', 'user:b']);
  });

  it('loads again once the time to live has passed', async () => {
    const { get, loads } = listCache({ ttlMs: 20 });
    await get('a');
    await new Promise(resolve => setTimeout(resolve, 200));
    await get('a');
    expect(loads).toEqual(['user:a', 'user:a']);
  });

  it('is bounded by the size of what it holds, dropping the least recently used', async () => {
    const { get, loads } = listCache({ maxSize: 10 });
    await get('a', 4);
    await get('b', 4);
    await get('a', 4); // a is now the most recently used
    await get('c', 4); // 12 > 10: b goes, not a
    expect(loads).toEqual(['user:a', 'user:b', 'user:c']);
    await get('a', 4);
    expect(loads).toHaveLength(3);
    await get('b', 4);
    expect(loads).toEqual(['user:a', 'user:b', 'user:c', 'user:b']);
  });

  it('answers but does not keep a value larger than the bound', async () => {
    const { get, loads } = listCache({ maxSize: 10 });
    await get('small', 2);
    expect(await get('huge', 11)).toHaveLength(11);
    expect(await get('huge', 11)).toHaveLength(11);
    expect(loads).toEqual(['user:small', 'user:huge', 'user:huge']);
    // …and keeping it was not tried at the expense of what was kept.
    await get('small', 2);
    expect(loads).toHaveLength(3);
  });

  it('counts an empty answer as 1, so that many empty answers are bounded too', async () => {
    const { get, loads } = listCache({ maxSize: 3 });
    for (const name of ['a', 'b', 'c', 'd']) await get(name, 0);
    await get('a', 0);
    expect(loads).toEqual(['user:a', 'user:b', 'user:c', 'user:d', 'user:a']);
  });

  it('shares one load between concurrent requests and keeps no failure', async () => {
    let calls = 0;
    const cache = new CallerCache<string, string>({
      ttlMs: 60_000,
      maxSize: 10,
      keyOf: question => question,
      load: async (_credentials, question) => {
        calls += 1;
        await new Promise(resolve => setImmediate(resolve));
        if (calls === 1) throw new Error('catalog unavailable');
        return question.toUpperCase();
      },
    });
    const first = await Promise.allSettled([
      cache.get(alice, 'x'),
      cache.get(alice, 'x'),
    ]);
    expect(first.map(result => result.status)).toEqual([
      'rejected',
      'rejected',
    ]);
    expect(calls).toBe(1);
    expect(await cache.get(alice, 'x')).toBe('X');
    expect(calls).toBe(2);
  });

  it('loads every time without a time to live', async () => {
    const { get, loads } = listCache({ ttlMs: 0 });
    await get('a');
    await get('a');
    expect(loads).toHaveLength(2);
  });
});
