/**
 * The compiled engine's own contract: which machines compile, what a user is
 * told when one does not, the engine switch, observation of compiled actors,
 * and the port inside an initial delay. (Event-for-event identity with xstate
 * is engines.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { assign, fromTransition, setup } from 'xstate';
import { createSimulation, KernelInputError, portOf, send, whyNotCompiled } from '../src/index.ts';

const blinker = setup({
  types: { context: {} as { blinks: number } },
  actions: { count: assign({ blinks: ({ context }) => context.blinks + 1 }) },
}).createMachine({
  id: 'blinker',
  context: { blinks: 0 },
  initial: 'off',
  states: {
    off: { after: { 100: { target: 'on', actions: 'count' } } },
    on: { after: { 50: 'off' } },
  },
});

describe('compiled engine', () => {
  it('says why a machine runs on xstate, naming the feature and the state', () => {
    expect(whyNotCompiled(blinker)).toBeUndefined();
    const parallel = setup({}).createMachine({ id: 'p', type: 'parallel', states: { a: {}, b: {} } });
    expect(whyNotCompiled(parallel)).toBe('parallel state at #p');
    const eventless = setup({}).createMachine({ id: 'e', initial: 'a', states: { a: { always: 'b' }, b: {} } });
    expect(whyNotCompiled(eventless)).toBe('always (eventless transition) at #e.a');
    const raising = setup({}).createMachine({ id: 'r', initial: 'a', states: { a: { on: { GO: { actions: () => {} } } } } });
    expect(whyNotCompiled(raising)).toBeUndefined();
    expect(whyNotCompiled(fromTransition((s) => s, 0))).toMatch(/^not a state machine/);
  });

  it('runs compiled by default, xstate on request or as a fallback, and logs the fallback once at debug', () => {
    const lines: { msg: string; reason?: string }[] = [];
    const eventless = setup({}).createMachine({ id: 'e', initial: 'a', states: { a: { always: 'b' }, b: {} } });
    const sim = createSimulation({
      seed: 1,
      logging: { level: 'debug', destination: { write: (l: string) => lines.push(JSON.parse(l)) } },
    });
    expect(sim.engine).toBe('compiled');
    sim.spawn(blinker, { id: 'b' });
    sim.spawn(eventless, { id: 'e1' });
    sim.spawn(eventless, { id: 'e2' });
    expect(sim.actors.engineOf('b')).toBe('compiled');
    expect(sim.actors.engineOf('e1')).toBe('xstate');
    expect(sim.actors.get('e2').getSnapshot().value).toBe('b');
    const fallbacks = lines.filter((l) => l.msg.startsWith('runs on xstate'));
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]!.msg).toBe('runs on xstate, not compiled: always (eventless transition) at #e.a');

    const reference = createSimulation({ seed: 1, engine: 'xstate' });
    reference.spawn(blinker, { id: 'b' });
    expect(reference.actors.engineOf('b')).toBe('xstate');
    expect(() => createSimulation({ seed: 1, engine: 'fast' as never })).toThrow(KernelInputError);
    expect(() => createSimulation({ seed: 1, engine: 'fast' as never })).toThrow(
      `createSimulation: options.engine must be 'compiled' or 'xstate', got "fast"`,
    );
  });

  it('gives compiled actors xstate-shaped snapshots, snapshot streams and inspection events', () => {
    const sim = createSimulation({ seed: 2 });
    sim.spawn(blinker, { id: 'b' });
    const seen: string[] = [];
    const inspected = new Set<string>();
    sim.actors.snapshots$<typeof blinker>('b').subscribe((s) => seen.push(`${String(s.value)}:${s.context.blinks}@${sim.now}`));
    const sub = sim.actors.inspection$.subscribe((e) => inspected.add(e.type));
    sim.runUntil(310);
    sub.unsubscribe();
    expect(seen).toEqual(['on:1@100', 'off:1@150', 'on:2@250', 'off:2@300']);
    expect([...inspected].sort()).toEqual(['@xstate.action', '@xstate.event', '@xstate.microstep', '@xstate.snapshot']);
    const snap = sim.actors.get<typeof blinker>('b').getSnapshot();
    expect(snap.status).toBe('active');
    expect(snap.matches('off')).toBe(true);
    expect(snap.context).toEqual({ blinks: 2 });
  });

  it('lets a delay on the initial state draw from the port (a random first delay), on both engines', () => {
    const jittery = setup({
      delays: { firstTick: ({ self }) => Math.floor(portOf(self).random.uniform(0, 1000)) },
    }).createMachine({
      id: 'jittery',
      initial: 'waiting',
      states: { waiting: { after: { firstTick: { target: 'ticked', actions: send('sink', { type: 'TICK' }) } } }, ticked: {} },
    });
    const sink = setup({}).createMachine({});
    const firstTickAt = (engine: 'compiled' | 'xstate') => {
      const sim = createSimulation({ seed: 9, engine, network: { minLatencyMs: 0, maxLatencyMs: 0 } });
      sim.spawn(sink, { id: 'sink' });
      sim.spawn(jittery, { id: 'j' });
      let at = -1;
      sim.network.sent$.subscribe((e) => {
        at = e.sentAtMs;
      });
      sim.runUntil(2000);
      return { at, hash: sim.trace.hash };
    };
    const compiled = firstTickAt('compiled');
    expect(compiled.at).toBeGreaterThan(0);
    expect(firstTickAt('xstate')).toEqual(compiled);
  });

  it('stops a run when a compiled action throws, naming actor, time and event, as on xstate', () => {
    const faulty = setup({}).createMachine({
      initial: 'idle',
      states: {
        idle: {
          on: {
            BOOM: {
              target: 'busy',
              actions: () => {
                throw new Error('pool exhausted');
              },
            },
          },
        },
        busy: {},
      },
    });
    for (const engine of ['compiled', 'xstate'] as const) {
      const sim = createSimulation({ seed: 1, engine, network: { minLatencyMs: 7, maxLatencyMs: 7 } });
      sim.spawn(faulty, { id: 'router-3' });
      sim.send('test', 'router-3', { type: 'BOOM' });
      expect(() => sim.runUntilIdle()).toThrow("Actor 'router-3' failed at virtual time 7 ms while handling BOOM: pool exhausted");
      expect(sim.actors.has('router-3')).toBe(false);
    }
  });
});
