import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes items that arrive together in one batch and answers each with its own result', async () => {
    const batches: number[][] = [];
    const g = new GroupCommit<number, number>(async (xs) => {
      batches.push(xs);
      await tick();
      return xs.map((x) => x * 10);
    });
    const out = await Promise.all([1, 2, 3, 4, 5].map((x) => g.submit(x)));
    expect(out).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('gathers the next batch while earlier ones are in flight, and never exceeds maxBatch or maxInFlight', async () => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const g = new GroupCommit<number, number>(
      async (xs) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        sizes.push(xs.length);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return xs;
      },
      { maxBatch: 8, maxInFlight: 2 },
    );
    const all: Promise<number>[] = [];
    for (let i = 0; i < 50; i++) {
      all.push(g.submit(i));
      if (i % 5 === 4) await tick();
    }
    expect(await Promise.all(all)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(most).toBeLessThanOrEqual(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(50);
    expect(sizes.length).toBeLessThan(50); // batched, not one by one
  });

  it('sends a batch beside one in flight only when it carries as many items as the last; fewer wait for it to end', async () => {
    const sent: number[][] = [];
    const ends: (() => void)[] = [];
    const g = new GroupCommit<number, number>(
      async (xs) => {
        sent.push(xs);
        await new Promise<void>((r) => ends.push(r));
        return xs;
      },
      { maxInFlight: 2 },
    );
    const all = [1, 2, 3].map((x) => g.submit(x));
    await tick();
    expect(sent).toEqual([[1, 2, 3]]);
    // two items while a batch of three is in flight: they wait
    all.push(g.submit(4), g.submit(5));
    await tick();
    expect(sent).toHaveLength(1);
    // a third makes a batch as large as the last: it goes out beside it
    all.push(g.submit(6));
    await tick();
    expect(sent).toEqual([[1, 2, 3], [4, 5, 6]]);
    // a lone item waits while any batch is in flight, then goes at once
    all.push(g.submit(7));
    await tick();
    ends.shift()!();
    await tick();
    await tick();
    expect(sent).toHaveLength(2);
    ends.shift()!();
    await tick();
    await tick();
    expect(sent).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    ends.shift()!();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('sends a smaller batch beside one that stays in flight too long (waiting on a lock), not behind it', async () => {
    const sent: number[][] = [];
    let release = () => {};
    const g = new GroupCommit<number, number>(
      async (xs) => {
        sent.push(xs);
        if (xs.includes(1)) await new Promise<void>((r) => (release = r)); // stuck until released
        return xs;
      },
      { maxInFlight: 2 },
    );
    const stuck = [1, 2, 3].map((x) => g.submit(x));
    await tick();
    const started = performance.now();
    expect(await g.submit(4)).toBe(4); // answered while the first batch is still out
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
    expect(sent).toEqual([[1, 2, 3], [4]]);
    release();
    expect(await Promise.all(stuck)).toEqual([1, 2, 3]);
  });

  it('when a batch fails, writes each item alone so only the bad one fails', async () => {
    const g = new GroupCommit<number, number>(async (xs) => {
      if (xs.includes(13)) throw new Error('unlucky');
      return xs.map((x) => x + 1);
    });
    const results = await Promise.allSettled([11, 12, 13, 14].map((x) => g.submit(x)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([12, 13, 'unlucky', 15]);
  });

  it('refuses a writer that answers with the wrong number of results', async () => {
    const g = new GroupCommit<number, number>(async () => []);
    await expect(g.submit(1)).rejects.toThrow(/0 results for 1 items/);
  });

  it('never puts two items of one key in a batch, nor in two batches in flight at once', async () => {
    const batches: string[][] = [];
    const open = new Set<string>();
    let clash = false;
    const g = new GroupCommit<string, string>(
      async (xs) => {
        batches.push(xs);
        const keys = xs.map((x) => x[0]!);
        if (keys.some((k) => open.has(k)) || new Set(keys).size !== keys.length) clash = true;
        keys.forEach((k) => open.add(k));
        await new Promise((r) => setTimeout(r, 3));
        keys.forEach((k) => open.delete(k));
        return xs;
      },
      { maxInFlight: 2, key: (x) => x[0]! },
    );
    const items = ['a1', 'b1', 'a2', 'c1', 'a3', 'b2', 'd1', 'a4'];
    expect(await Promise.all(items.map((x) => g.submit(x)))).toEqual(items);
    expect(clash).toBe(false);
    // a key's items are written in the order they came
    expect(batches.flat().filter((x) => x.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(batches[0]).toEqual(['a1', 'b1', 'c1', 'd1']);
  });
});
