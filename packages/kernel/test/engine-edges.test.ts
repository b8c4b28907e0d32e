/**
 * Edges where the compiled engine once differed from xstate (found in review,
 * each reproduced on both engines before the fix): initial actions that send
 * to the actor itself, the order of initial timers and messages, snapshots
 * seen during and after a step, a direct actor.send that sets a timer,
 * observers on error, inspection events. Each scenario runs on both engines
 * and must give the same log, trace and queue counts.
 */
import { describe, expect, it } from 'vitest';
import { assign, createMachine } from 'xstate';
import { createSimulation, type EngineName, EventQueue, LivelockError, portOf, type Simulation } from '../src/index.ts';

type Log = unknown[];

function onBothEngines(scenario: (sim: Simulation, log: Log) => void): { log: Log; hash: string; fired: number; size: number } {
  const out = (['xstate', 'compiled'] as EngineName[]).map((engine) => {
    const sim = createSimulation({ seed: 5, engine, keepFullTrace: true, network: { minLatencyMs: 1, maxLatencyMs: 1 } });
    const log: Log = [];
    scenario(sim, log);
    return { log, hash: sim.trace.hash, fired: sim.queue.fired, size: sim.queue.size };
  });
  expect(out[1]).toEqual(out[0]);
  return out[1]!;
}

describe('compiled engine = xstate engine at the edges', () => {
  it('a self.send from an initial entry action waits until the actor has started', () => {
    const r = onBothEngines((sim, log) => {
      const m = createMachine({
        id: 'm',
        initial: 'idle',
        states: {
          idle: {
            entry: [
              ({ self }) => {
                log.push('entry1');
                self.send({ type: 'GO' });
              },
              () => log.push('entry2'),
            ],
            after: { 1000: { actions: () => log.push('idle timer') } },
            on: { GO: { target: 'busy', actions: () => log.push('go') } },
          },
          busy: { entry: () => log.push('busy entry') },
        },
      });
      sim.spawn(m, { id: 'a' });
      sim.runFor(2000);
    });
    expect(r.log).toEqual(['entry1', 'entry2', 'go', 'busy entry']);
    expect(r.fired).toBe(0); // the idle timer was cancelled before it could fire
  });

  it('initial timers start after every initial action, so a message sent at start comes first', () => {
    const r = onBothEngines((sim, log) => {
      const m = createMachine({
        id: 'm',
        initial: 'p',
        states: {
          p: {
            initial: 'c',
            after: { 0: '#m.timedOut' },
            states: {
              c: {
                entry: ({ self }) => portOf(self).send('a', { type: 'PING' }, { latencyMs: 0 }),
                on: { PING: { target: '#m.pinged', actions: () => log.push('ping') } },
              },
            },
          },
          pinged: {},
          timedOut: { entry: () => log.push('timed out') },
        },
      });
      sim.spawn(m, { id: 'a' });
      sim.runFor(10);
      log.push(sim.actors.get('a').getSnapshot().value);
    });
    expect(r.log).toEqual(['ping', 'pinged']);
  });

  it('getSnapshot() during a step shows the state before it; after a failed step, the state before it', () => {
    const r = onBothEngines((sim, log) => {
      const m = createMachine({
        id: 'm',
        context: { n: 0 },
        initial: 'a',
        states: {
          a: {
            on: {
              INC: {
                target: 'b',
                actions: [assign({ n: ({ context }) => context.n + 1 }), ({ self }) => log.push(['during', self.getSnapshot().context.n])],
              },
            },
          },
          b: {
            on: {
              BOOM: [
                {
                  actions: [
                    assign({ n: 5 }),
                    () => {
                      throw new Error('boom');
                    },
                  ],
                },
              ],
            },
          },
        },
      });
      const a = sim.spawn(m, { id: 'a' });
      sim.send('t', 'a', { type: 'INC' });
      sim.runFor(5);
      log.push(['after', a.getSnapshot().context.n, a.getSnapshot().value]);
      sim.send('t', 'a', { type: 'BOOM' });
      expect(() => sim.runFor(5)).toThrow('boom');
      log.push(['failed', a.getSnapshot().status, a.getSnapshot().context.n]);
    });
    expect(r.log).toEqual([
      ['during', 0],
      ['after', 1, 'b'],
      ['failed', 'error', 1],
    ]);
  });

  it('a timer set by a direct actor.send belongs to that actor: its step is folded into the trace', () => {
    const r = onBothEngines((sim, log) => {
      const m = createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: 'b' } }, b: { after: { 100: 'c' } }, c: {} } });
      sim.spawn(m, { id: 'a' });
      sim.actors.get('a').send({ type: 'GO' });
      sim.runFor(200);
      log.push(sim.trace.full!.filter((t) => t.kind === 'state').map((t) => `${t.timeMs}:${(t as { value: string }).value}`));
    });
    expect(r.log).toEqual([['0:a', '100:c']]);
  });

  it("a failed actor's observers get error and never complete", () => {
    const r = onBothEngines((sim, log) => {
      const m = createMachine({
        id: 'm',
        initial: 'a',
        states: {
          a: {
            on: {
              BOOM: {
                actions: () => {
                  throw new Error('boom');
                },
              },
            },
          },
        },
      });
      const a = sim.spawn(m, { id: 'a' });
      a.subscribe({
        next: (s) => log.push(['next', s.value]),
        error: (e) => log.push(['error', (e as Error).message]),
        complete: () => log.push('complete'),
      });
      sim.send('t', 'a', { type: 'BOOM' });
      expect(() => sim.runFor(10)).toThrow('boom');
    });
    expect(r.log).toEqual([['error', 'boom']]);
  });

  it('inspection: a microstep for every event, an action event for raise and cancel but not for assign', () => {
    onBothEngines((sim, log) => {
      const m = createMachine({
        id: 'm',
        context: { n: 0 },
        initial: 'a',
        states: { a: { after: { 50: 'b' }, on: { X: { actions: assign({ n: 1 }) }, Y: {} } }, b: {} },
      });
      sim.actors.inspection$.subscribe((ev) => {
        const e = ev as { actorRef?: { id?: string }; type: string; action?: { type: string }; event?: { type: string } };
        if (e.actorRef?.id === 'a' && e.type !== '@xstate.actor')
          log.push(`${e.type}${e.action ? `:${e.action.type}` : ''}${e.event ? `:${e.event.type}` : ''}`);
      });
      sim.spawn(m, { id: 'a' });
      sim.send('t', 'a', { type: 'X' });
      sim.send('t', 'a', { type: 'Z' });
      sim.runFor(100);
    });
  });
});

describe('event queue livelock guard', () => {
  it('stops the run without losing the event it stopped at', () => {
    const q = new EventQueue({ maxEventsPerInstant: 10 });
    const spin = () => q.schedule(0, spin, undefined, 'spinner');
    q.schedule(1, spin, undefined, 'spinner');
    q.schedule(5, () => {}, undefined, 'later');
    expect(() => q.runUntil(10)).toThrow(LivelockError);
    expect(q.size).toBe(2); // the spinner's next event and the later one, both still queued
    expect(q.peekTime()).toBe(1);
  });
});
