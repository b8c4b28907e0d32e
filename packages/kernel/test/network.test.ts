import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { createSimulation, portOf } from '../src/index.ts';

/** Records what it receives, with the virtual time of arrival. */
const inbox = setup({
  types: { context: {} as { got: [string, number][] } },
  actions: {
    record: ({ context, event, self }) => {
      context.got.push([event.type, portOf(self).now]);
    },
  },
}).createMachine({ context: () => ({ got: [] }), on: { '*': { actions: 'record' } } });

const setupPair = (seed = 1) => {
  const sim = createSimulation({ seed, network: { minLatencyMs: 10, maxLatencyMs: 10 } });
  sim.spawn(inbox, { id: 'router-0' });
  sim.spawn(inbox, { id: 'manager-0' });
  const got = (id: string) => sim.actors.get(id).getSnapshot().context.got as [string, number][];
  return { sim, got };
};

describe('network', () => {
  it('delivers after the sampled latency', () => {
    const { sim, got } = setupPair();
    sim.send('router-0', 'manager-0', { type: 'HELLO' });
    sim.runUntil(9);
    expect(got('manager-0')).toEqual([]);
    sim.runUntil(10);
    expect(got('manager-0')).toEqual([['HELLO', 10]]);
    expect(sim.network.counts).toMatchObject({ sent: 1, delivered: 1, dropped: 0 });
  });

  it('a partition drops messages both ways; heal restores delivery', () => {
    const { sim, got } = setupPair();
    sim.network.partition(['router-0'], (id) => id.startsWith('manager-'));
    sim.send('router-0', 'manager-0', { type: 'LOST-1' });
    sim.send('manager-0', 'router-0', { type: 'LOST-2' });
    sim.runFor(100);
    expect(got('manager-0')).toEqual([]);
    expect(got('router-0')).toEqual([]);
    expect(sim.network.counts.droppedByReason.partition).toBe(2);
    sim.network.heal();
    sim.send('router-0', 'manager-0', { type: 'AFTER-HEAL' });
    sim.runFor(100);
    expect(got('manager-0')).toEqual([['AFTER-HEAL', 110]]);
  });

  it('hold buffers arrivals and release delivers them in arrival order', () => {
    const { sim, got } = setupPair();
    sim.network.hold(['router-0'], ['manager-0']);
    sim.send('router-0', 'manager-0', { type: 'A' });
    sim.runFor(5);
    sim.send('router-0', 'manager-0', { type: 'B' });
    sim.runFor(1000);
    expect(got('manager-0')).toEqual([]);
    expect(sim.network.counts.held).toBe(2);
    sim.network.release();
    sim.runFor(1);
    expect(got('manager-0')).toEqual([
      ['A', 1005],
      ['B', 1005],
    ]);
  });

  it('loss drops about the configured fraction, deterministically per seed', () => {
    const run = (seed: number) => {
      const sim = createSimulation({ seed, network: { lossProbability: 0.3 } });
      sim.spawn(inbox, { id: 'sink' });
      for (let i = 0; i < 2000; i++) sim.send('source', 'sink', { type: 'M' });
      sim.runUntilIdle();
      return sim.network.counts.droppedByReason.loss;
    };
    const lost = run(5);
    expect(lost).toBeGreaterThan(520);
    expect(lost).toBeLessThan(680);
    expect(run(5)).toBe(lost);
  });

  it('a latency spike delays messages sent during it, and only those', () => {
    const { sim, got } = setupPair();
    sim.network.latencySpike({ extraLatencyMs: 500, durationMs: 100 });
    sim.send('router-0', 'manager-0', { type: 'SLOW' });
    sim.runFor(200);
    sim.send('router-0', 'manager-0', { type: 'FAST' });
    sim.runFor(1000);
    expect(got('manager-0')).toEqual([
      ['FAST', 210],
      ['SLOW', 510],
    ]);
  });

  it('messages to a missing actor are counted as dropped, not delivered', () => {
    const { sim } = setupPair();
    sim.send('router-0', 'nobody', { type: 'X' });
    sim.runUntilIdle();
    expect(sim.network.counts).toMatchObject({ sent: 1, delivered: 0, dropped: 1, droppedByReason: { 'no-recipient': 1 } });
  });

  it('sent$ shows every envelope handed to the network', () => {
    const { sim } = setupPair();
    const seen: string[] = [];
    const sub = sim.network.sent$.subscribe((e) => seen.push(`${e.from}->${e.to}:${e.event.type}@${e.sentAtMs}`));
    sim.send('router-0', 'manager-0', { type: 'PING' });
    sim.runFor(50);
    sub.unsubscribe();
    sim.send('router-0', 'manager-0', { type: 'UNSEEN' });
    expect(seen).toEqual(['router-0->manager-0:PING@0']);
  });

  it('rejects bad settings with the field named', () => {
    expect(() => createSimulation({ seed: 1, network: { minLatencyMs: 10, maxLatencyMs: 5 } })).toThrow(
      'createSimulation: network.maxLatencyMs must be >= network.minLatencyMs (10): maximum latency must not be below the minimum, got 5',
    );
    expect(() => createSimulation({ seed: 1, network: { lossProbability: 2 } })).toThrow(
      'network.lossProbability must be a probability between 0 and 1, got 2',
    );
    const { sim } = setupPair();
    expect(() => sim.network.latencySpike({ extraLatencyMs: -5, durationMs: 10 })).toThrow(
      'network.latencySpike: extraLatencyMs must be a finite number >= 0, got -5',
    );
    expect(() => sim.send('a', 'b', { type: 'X' }, { latencyMs: Number.NaN })).toThrow(
      'send: options.latencyMs must be a finite number >= 0, got NaN',
    );
  });
});
