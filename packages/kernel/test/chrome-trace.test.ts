/**
 * The Chrome trace recorder on a two-actor timeline with a fixed 2 ms latency:
 *
 *   0 ms   a: waiting            b: idle
 *   10 ms  a sends PING → sent
 *   12 ms                        b gets PING, sends PONG → replied
 *   14 ms  a gets PONG → done, sends itself TICK
 *   20 ms  finish
 */
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import {
  type ChromeTraceEvent,
  type ChromeTraceOptions,
  createSimulation,
  recordChromeTrace,
  type Simulation,
  send,
} from '../src/index.ts';

const pinger = setup({}).createMachine({
  initial: 'waiting',
  states: {
    waiting: { after: { 10: { target: 'sent', actions: send('b', { type: 'PING' }) } } },
    sent: { on: { PONG: 'done' } },
    // a message to itself (how an actor keeps a timer): not a flow
    done: { entry: send('a', { type: 'TICK' }) },
  },
});

const ponger = setup({}).createMachine({
  initial: 'idle',
  states: {
    idle: { on: { PING: { target: 'replied', actions: send('a', { type: 'PONG' }) } } },
    replied: {},
  },
});

function pingPong(): Simulation {
  const sim = createSimulation({ seed: 1, network: { minLatencyMs: 2, maxLatencyMs: 2 } });
  sim.spawn(pinger, { id: 'a' });
  sim.spawn(ponger, { id: 'b' });
  return sim;
}

function record(options: ChromeTraceOptions = {}, prepare: (sim: Simulation) => void = () => {}) {
  const sim = pingPong();
  prepare(sim);
  const events: ChromeTraceEvent[] = [];
  const recorder = recordChromeTrace(sim, (e) => events.push(e), options);
  sim.runUntil(20);
  const stats = recorder.finish(20, [[10, 'ping sent']]);
  const tid = (name: string) => events.find((e) => e.name === 'thread_name' && e.args?.name === name)?.tid;
  const slices = (actor: string) =>
    events.filter((e) => e.ph === 'X' && e.tid === tid(actor)).map((e) => [e.name, e.ts, (e.ts ?? 0) + (e.dur ?? 0)]);
  const flows = events.filter((e) => e.ph === 's' || e.ph === 'f').map((e) => [e.ph, e.name, e.ts, e.tid, e.id]);
  return { sim, events, stats, tid, slices, flows };
}

describe('recordChromeTrace', () => {
  it('writes each actor as a named track, its states as slices and each message as a flow from send to delivery', () => {
    const { events, stats, tid, slices, flows } = record();
    expect(slices('a')).toEqual([
      ['waiting', 0, 10_000],
      ['sent', 10_000, 14_000],
      ['done', 14_000, 20_000],
    ]);
    expect(slices('b')).toEqual([
      ['idle', 0, 12_000],
      ['replied', 12_000, 20_000],
    ]);
    const [a, b] = [tid('a'), tid('b')];
    expect(a).not.toBe(b);
    expect(flows).toEqual([
      ['s', 'PING', 10_000, a, 1],
      ['f', 'PING', 12_000, b, 1],
      ['s', 'PONG', 12_000, b, 2],
      ['f', 'PONG', 14_000, a, 2],
    ]);
    expect(events.find((e) => e.ph === 'f')).toMatchObject({ bp: 'e', cat: 'message' });
    expect(events.filter((e) => e.ph === 'i' && e.s === 'g')).toEqual([
      { name: 'ping sent', ph: 'i', s: 'g', ts: 10_000, pid: 0, tid: 0, cat: 'timeline' },
    ]);
    expect(events.filter((e) => e.name === 'process_name').map((e) => e.args?.name)).toEqual(['a', 'b']);
    expect(stats).toEqual({ events: events.length, tracks: 2, truncatedAtMs: undefined });
  });

  it('clips slices to the window and keeps a flow only when its send and delivery both fall inside', () => {
    const { slices, flows, events } = record({ fromMs: 11, toMs: 13 });
    expect(slices('a')).toEqual([['sent', 11_000, 13_000]]);
    expect(slices('b')).toEqual([
      ['idle', 11_000, 12_000],
      ['replied', 12_000, 13_000],
    ]);
    // PING was sent at 10 ms (before the window), PONG arrives at 14 ms (after it)
    expect(flows).toEqual([]);
    // the 10 ms mark is outside the window
    expect(events.some((e) => e.cat === 'timeline')).toBe(false);
  });

  it('keeps only the actors the filter accepts, and no flow with an end on a dropped actor', () => {
    const { events, slices, flows } = record({ keepActor: (id) => id === 'b' });
    expect(events.filter((e) => e.name === 'thread_name').map((e) => e.args?.name)).toEqual(['b']);
    expect(slices('b')).toHaveLength(2);
    expect(flows).toEqual([]);
  });

  it('marks a dropped message as an instant on the sender, with the reason', () => {
    const { events, tid, slices } = record({}, (sim) => sim.network.partition(['a'], ['b']));
    expect(events.filter((e) => e.ph === 'i' && e.s === 't')).toEqual([
      {
        name: 'drop PING',
        ph: 'i',
        s: 't',
        ts: 10_000,
        pid: events.find((e) => e.tid === tid('a'))!.pid,
        tid: tid('a'),
        cat: 'event',
        args: { from: 'a', to: 'b', reason: 'partition' },
      },
    ]);
    expect(slices('b')).toEqual([['idle', 0, 20_000]]);
  });

  it('stops at maxEvents and says where', () => {
    const { stats, slices } = record({ maxEvents: 8 });
    expect(stats.truncatedAtMs).toBe(12);
    // the open slices are closed where recording stopped
    expect(slices('a').at(-1)).toEqual(['sent', 10_000, 12_000]);
  });

  it('gives a sender that is not an actor (the scenario timeline) a track, with a zero-length slice per send to anchor the flow', () => {
    const { events, tid, flows } = record({}, (sim) =>
      sim.queue.schedule(5, () => sim.send('timeline', 'b', { type: 'GO' }, { latencyMs: 1 })),
    );
    expect(events.filter((e) => e.ph === 'X' && e.tid === tid('timeline'))).toMatchObject([{ name: 'GO', ts: 5_000, dur: 0 }]);
    expect(flows.slice(0, 2)).toEqual([
      ['s', 'GO', 5_000, tid('timeline'), 1],
      ['f', 'GO', 6_000, tid('b'), 1],
    ]);
  });

  it('does not change the run: the trace hash is the same with and without the recorder', () => {
    const plain = pingPong();
    plain.runUntil(20);
    const { sim } = record();
    expect(sim.trace.hash).toBe(plain.trace.hash);
  });
});
