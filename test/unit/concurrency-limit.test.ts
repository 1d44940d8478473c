import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../../src/lib/concurrency-limit.ts';

/** A task that runs until `finish` is called. */
function deferred() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

describe('a concurrency limit', () => {
  it('runs at most its number of tasks at once, the rest in the order they came', async () => {
    const limit = createConcurrencyLimit(2);
    const tasks = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    const results = tasks.map((task, index) =>
      limit.run(async () => {
        started.push(index);
        await task.done;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([limit.active, limit.waiting]).toEqual([2, 2]);
    tasks[1]!.finish();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const task of tasks) task.finish();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
    expect([limit.active, limit.waiting]).toEqual([0, 0]);
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('broken photo')))).rejects.toThrow('broken photo');
    expect(await limit.run(async () => 'next')).toBe('next');
    expect(limit.active).toBe(0);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => createConcurrencyLimit(0)).toThrow(RangeError);
    expect(() => createConcurrencyLimit(1.5)).toThrow(RangeError);
  });
});
