import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { createSimulation } from '../src/index.ts';

// A 5 s timeout / 1 s backoff cycle: the prototype's SimulatedClock ended in the
// wrong state after set(20000); set(23000).
const cycle = setup({}).createMachine({
  id: 'cycle',
  initial: 'waiting',
  states: {
    waiting: { after: { 5000: 'backoff' } },
    backoff: { after: { 1000: 'waiting' } },
  },
});

/** Closed form: the cycle is 6 s long, in backoff during [5 s, 6 s) of each period. */
const expectedAt = (tMs: number) => (tMs % 6000 >= 5000 ? 'backoff' : 'waiting');

describe('xstate clock on the event queue', () => {
  it('keeps an after-chain in the right state at exact times across big jumps', () => {
    const sim = createSimulation({ seed: 1 });
    const actor = sim.spawn(cycle, { id: 'cycle' });
    const timeline: [number, string][] = [];
    for (const t of [20_000, 23_000, 23_999, 24_000, 60_000, 65_000, 1_000_000]) {
      sim.runUntil(t);
      timeline.push([t, actor.getSnapshot().value as string]);
    }
    expect(timeline).toEqual([
      [20_000, 'waiting'],
      [23_000, 'backoff'],
      [23_999, 'backoff'],
      [24_000, 'waiting'],
      [60_000, 'waiting'],
      [65_000, 'backoff'],
      [1_000_000, 'waiting'],
    ]);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 20 })])(
    'after any sequence of jumps the cycle is where the closed form says',
    (jumps) => {
      const sim = createSimulation({ seed: 1 });
      const actor = sim.spawn(cycle, { id: 'cycle' });
      for (const j of jumps) {
        sim.runFor(j);
        expect(actor.getSnapshot().value).toBe(expectedAt(sim.now));
      }
    },
  );

  it('drives an actor created outside spawn through sim.clock', () => {
    const sim = createSimulation({ seed: 1 });
    const actor = createActor(cycle, { clock: sim.clock }).start();
    sim.runUntil(5_500);
    expect(actor.getSnapshot().value).toBe('backoff');
    actor.stop();
    expect(sim.queue.size).toBe(0); // stopping cancelled its pending timer
  });

  it('rejects a NaN delay from a machine, naming the clock', () => {
    const bad = setup({ delays: { broken: () => Number.NaN } }).createMachine({
      initial: 'a',
      states: { a: { after: { broken: 'b' } }, b: {} },
    });
    const sim = createSimulation({ seed: 1 });
    expect(() => sim.spawn(bad, { id: 'bad' })).toThrow(/xstate clock setTimeout: delay .* must be a finite number >= 0, got NaN/);
  });
});
