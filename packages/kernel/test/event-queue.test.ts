import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { EventQueue, KernelInputError, LivelockError } from '../src/index.ts';

describe('EventQueue', () => {
  it('fires events at the same instant in the order they were scheduled', () => {
    const q = new EventQueue();
    const fired: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) q.schedule(10, (n: string) => fired.push(n), name);
    q.schedule(5, (n: string) => fired.push(n), 'early');
    q.runUntilIdle();
    expect(fired).toEqual(['early', 'a', 'b', 'c', 'd']);
    expect(q.now).toBe(10);
  });

  it('never fires a cancelled event and counts only live ones', () => {
    const q = new EventQueue();
    const fired: number[] = [];
    const handles = [1, 2, 3].map((i) => q.schedule(i * 100, (x: number) => fired.push(x), i));
    q.cancel(handles[1]!);
    q.cancel(handles[1]!); // twice is harmless
    expect(q.size).toBe(2);
    q.runUntilIdle();
    expect(fired).toEqual([1, 3]);
    expect(q.size).toBe(0);
  });

  it('runUntil fires events up to and including the time, then sets the clock there', () => {
    const q = new EventQueue();
    const fired: number[] = [];
    for (const t of [100, 200, 300]) q.schedule(t, () => fired.push(q.now));
    expect(q.runUntil(200)).toBe(2);
    expect(fired).toEqual([100, 200]);
    expect(q.now).toBe(200);
    q.runUntil(250);
    expect(q.now).toBe(250);
    expect(q.peekTime()).toBe(300);
  });

  it('an event scheduled at delay 0 from a callback runs after those already queued for the instant', () => {
    const q = new EventQueue();
    const fired: string[] = [];
    q.schedule(1, () => {
      fired.push('first');
      q.schedule(0, () => fired.push('nested'));
    });
    q.schedule(1, () => fired.push('second'));
    q.runUntilIdle();
    expect(fired).toEqual(['first', 'second', 'nested']);
  });

  it('stops a zero-delay loop with a LivelockError naming the actor', () => {
    const q = new EventQueue({ maxEventsPerInstant: 1000 });
    const loop = () => q.schedule(0, loop, undefined, 'spinner-7');
    q.schedule(3, loop, undefined, 'spinner-7');
    q.schedule(3, () => {}, undefined, 'innocent');
    const err = (() => {
      try {
        q.runUntilIdle();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LivelockError);
    expect((err as LivelockError).actors[0]).toEqual({ id: 'spinner-7', events: expect.any(Number) });
    expect((err as Error).message).toMatch(/virtual time 3 ms.*spinner-7/);
  });

  it.each([
    [-1, 'delayMs must be a finite number >= 0, got -1'],
    [Number.NaN, 'delayMs must be a finite number >= 0, got NaN'],
    [Number.POSITIVE_INFINITY, 'delayMs must be a finite number >= 0, got Infinity'],
  ])('schedule rejects delay %s, naming the function and argument', (delay, message) => {
    const q = new EventQueue();
    expect(() => q.schedule(delay, () => {})).toThrow(KernelInputError);
    expect(() => q.schedule(delay, () => {})).toThrow(`EventQueue.schedule: ${message}`);
  });

  it('rejects a runUntil in the past', () => {
    const q = new EventQueue();
    q.runUntil(100);
    expect(() => q.runUntil(50)).toThrow('EventQueue.runUntil: untilMs must be a finite time >= now (100 ms), got 50');
  });

  test.prop([fc.array(fc.record({ delay: fc.integer({ min: 0, max: 1000 }), cancel: fc.boolean() }), { maxLength: 200 })])(
    'fires exactly the uncancelled events, ordered by (time, schedule order)',
    (plan) => {
      const q = new EventQueue();
      const fired: number[] = [];
      const handles = plan.map((p, i) => q.schedule(p.delay, (x: number) => fired.push(x), i));
      plan.forEach((p, i) => {
        if (p.cancel) q.cancel(handles[i]!);
      });
      q.runUntilIdle();
      const expected = plan
        .map((p, i) => ({ ...p, i }))
        .filter((p) => !p.cancel)
        .sort((a, b) => a.delay - b.delay || a.i - b.i)
        .map((p) => p.i);
      expect(fired).toEqual(expected);
    },
  );

  test.prop([
    fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 50 }),
    fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 10 }),
  ])('timers fire at their own time, whatever jumps the caller makes', (delays, jumps) => {
    const q = new EventQueue();
    const firedAt: number[] = [];
    for (const d of delays) q.schedule(d, () => firedAt.push(q.now));
    for (const j of jumps) q.runUntil(q.now + j);
    q.runUntilIdle();
    expect(firedAt).toEqual([...delays].sort((a, b) => a - b));
  });
});
