import { delay, interval, of, take, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../src/index.ts';

describe('RxJS scheduler on virtual time', () => {
  it('timer fires at its virtual time, not before', () => {
    const sim = createSimulation({ seed: 1 });
    const at: number[] = [];
    timer(1500, sim.scheduler).subscribe(() => at.push(sim.now));
    sim.runUntil(1499);
    expect(at).toEqual([]);
    sim.runUntil(10_000);
    expect(at).toEqual([1500]);
  });

  it('delay shifts every value by exactly the delay', () => {
    const sim = createSimulation({ seed: 1 });
    const seen: [string, number][] = [];
    sim.runUntil(100);
    of('a', 'b')
      .pipe(delay(250, sim.scheduler))
      .subscribe((v) => seen.push([v, sim.now]));
    sim.runUntilIdle();
    expect(seen).toEqual([
      ['a', 350],
      ['b', 350],
    ]);
  });

  it('interval ticks on the same timeline as xstate timers and messages, and stops when unsubscribed', () => {
    const sim = createSimulation({ seed: 1 });
    const ticks: number[] = [];
    interval(1000, sim.scheduler)
      .pipe(take(3))
      .subscribe(() => ticks.push(sim.now));
    const sub = interval(700, sim.scheduler).subscribe(() => ticks.push(-sim.now));
    sim.runUntil(2000);
    sub.unsubscribe();
    sim.runUntilIdle();
    expect(ticks).toEqual([-700, 1000, -1400, 2000, 3000]);
    expect(sim.queue.size).toBe(0);
  });

  it('timer with a period reschedules itself', () => {
    const sim = createSimulation({ seed: 1 });
    const ticks: number[] = [];
    timer(100, 50, sim.scheduler)
      .pipe(take(4))
      .subscribe(() => ticks.push(sim.now));
    sim.runUntilIdle();
    expect(ticks).toEqual([100, 150, 200, 250]);
  });
});
