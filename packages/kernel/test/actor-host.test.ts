import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { ActorFailedError, createSimulation, KernelInputError, portOf, send } from '../src/index.ts';

/** Ping-pong with a timeout: sends PING on entry, waits 1 s for PONG, else retries. */
const pinger = setup({
  types: { context: {} as { peer: string; pongs: number }, input: {} as { peer: string } },
}).createMachine({
  context: ({ input }) => ({ peer: input.peer, pongs: 0 }),
  initial: 'waiting',
  states: {
    waiting: {
      entry: send(({ context }) => context.peer, { type: 'PING' }),
      on: { PONG: { target: 'resting', actions: ({ context }) => context.pongs++ } },
      after: { 1000: { target: 'waiting', reenter: true } }, // re-enter: resend PING
    },
    resting: { after: { 500: 'waiting' } },
  },
});
const ponger = setup({}).createMachine({
  on: { PING: { actions: ({ self }) => portOf(self).send('pinger', { type: 'PONG' }) } },
});

describe('actor host', () => {
  it('actors exchange messages through the network on virtual time', () => {
    const sim = createSimulation({ seed: 4, network: { minLatencyMs: 10, maxLatencyMs: 10 } });
    const p = sim.spawn(pinger, { id: 'pinger', input: { peer: 'ponger' } });
    sim.spawn(ponger, { id: 'ponger' });
    sim.runUntil(19);
    expect(p.getSnapshot().value).toBe('waiting');
    sim.runUntil(20); // PING at 10, PONG back at 20
    expect(p.getSnapshot().value).toBe('resting');
    sim.runUntil(10_000);
    expect(p.getSnapshot().context.pongs).toBe(20); // pongs at 20, 540, …, 9900: one per 520 ms
  });

  it('a crashed actor drops its messages and timers; restart begins from the initial state', () => {
    const sim = createSimulation({ seed: 4, network: { minLatencyMs: 10, maxLatencyMs: 10 } });
    sim.spawn(pinger, { id: 'pinger', input: { peer: 'ponger' } });
    sim.spawn(ponger, { id: 'ponger' });
    sim.runUntil(1000);
    sim.actors.crash('ponger');
    expect(sim.actors.has('ponger')).toBe(false);
    const before = sim.actors.get('pinger').getSnapshot().context.pongs;
    sim.runUntil(5000);
    expect(sim.actors.get('pinger').getSnapshot().context.pongs).toBe(before);
    expect(sim.network.counts.droppedByReason['no-recipient']).toBeGreaterThan(0);
    sim.actors.restart('ponger');
    sim.runUntil(7000);
    expect(sim.actors.get('pinger').getSnapshot().context.pongs).toBeGreaterThan(before);
    sim.actors.stop('pinger');
    sim.actors.stop('ponger');
    expect(sim.queue.size).toBe(0); // stopping cancelled every timer
    expect(sim.actors.ids()).toEqual([]);
  });

  it('snapshots$ and inspection$ are observable', () => {
    const sim = createSimulation({ seed: 4, network: { minLatencyMs: 10, maxLatencyMs: 10 } });
    sim.spawn(pinger, { id: 'pinger', input: { peer: 'ponger' } });
    sim.spawn(ponger, { id: 'ponger' });
    const values: string[] = [];
    const inspected: string[] = [];
    sim.actors.snapshots$('pinger').subscribe((s) => values.push(`${s.value}@${sim.now}`));
    const sub = sim.actors.inspection$.subscribe((e) => inspected.push(e.type));
    sim.runUntil(600);
    sub.unsubscribe();
    expect(values).toEqual(['resting@20', 'waiting@520', 'resting@540']);
    expect(inspected).toContain('@xstate.event');
  });

  it('an actor whose logic throws stops the run, naming actor, time and event', () => {
    const faulty = setup({}).createMachine({
      on: {
        BOOM: {
          actions: () => {
            throw new Error('pool exhausted');
          },
        },
      },
    });
    const sim = createSimulation({ seed: 1, network: { minLatencyMs: 7, maxLatencyMs: 7 } });
    sim.spawn(faulty, { id: 'router-3' });
    sim.send('test', 'router-3', { type: 'BOOM' });
    expect(() => sim.runUntilIdle()).toThrow(ActorFailedError);
    expect(() => {
      const again = createSimulation({ seed: 1, network: { minLatencyMs: 7, maxLatencyMs: 7 } });
      again.spawn(faulty, { id: 'router-3' });
      again.send('test', 'router-3', { type: 'BOOM' });
      again.runUntilIdle();
    }).toThrow("Actor 'router-3' failed at virtual time 7 ms while handling BOOM: pool exhausted");
  });

  it('rejects a duplicate id, an unknown id, and bad spawn arguments with what to do', () => {
    const sim = createSimulation({ seed: 1 });
    sim.spawn(ponger, { id: 'ponger' });
    expect(() => sim.spawn(ponger, { id: 'ponger' })).toThrow(KernelInputError);
    expect(() => sim.spawn(ponger, { id: 'ponger' })).toThrow('spawn: options.id must be an id not already used by another actor');
    expect(() => sim.spawn(ponger, { id: '' })).toThrow('spawn: options.id must be a non-empty string, got ""');
    expect(() => sim.spawn({} as never, { id: 'x' })).toThrow('spawn: logic must be xstate actor logic');
    expect(() => sim.actors.get('pinger')).toThrow('actor: id must be the id of a spawned actor (known: ponger), got "pinger"');
    expect(() => sim.actors.crash('nope')).toThrow('crash: id must be the id of a spawned actor (known: ponger), got "nope"');
    expect(() => createSimulation({ seed: Number.NaN })).toThrow('createSimulation: options.seed must be an integer >= 0, got NaN');
    expect(() => sim.runFor(-5)).toThrow('runFor: durationMs must be a finite number >= 0, got -5');
  });

  it('portOf refuses an actor that the simulation did not spawn', () => {
    expect(() => portOf({ id: 'stranger', system: {} } as never)).toThrow(
      'portOf: self must be an actor spawned with sim.spawn(...), got "stranger"',
    );
  });
});
