import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { copyGraph, findUnforkable, forkBlank } from '../src/fork-graph.ts';
import {
  bindForFork,
  createSimulation,
  forkSafe,
  forkSimulation,
  NotForkableError,
  portOf,
  type Simulation,
  whyNotForkable,
} from '../src/index.ts';

// a ping-pong pair with random latency and an after-timer: exercises the queue, the network, ports and random streams
const pinger = setup({
  types: { context: {} as { peer: string; count: number }, input: {} as { peer: string } },
  actions: {
    ping: ({ context, self }) => portOf(self).send(context.peer, { type: 'PING' }),
    count: assign({ count: ({ context }) => context.count + 1 }),
  },
  delays: { jitter: ({ self }) => 10 + portOf(self).random.int(0, 50) },
}).createMachine({
  context: ({ input }) => ({ peer: input.peer, count: 0 }),
  initial: 'idle',
  states: {
    idle: { after: { jitter: { target: 'busy', actions: 'ping' } }, on: { PING: { actions: ['count', 'ping'] } } },
    busy: { after: { jitter: { target: 'idle' } }, on: { PING: { actions: 'count' } } },
  },
});

function pair(seed: number) {
  const sim = createSimulation({ seed, network: { minLatencyMs: 1, maxLatencyMs: 20 } });
  sim.spawn(pinger, { id: 'a', input: { peer: 'b' } });
  sim.spawn(pinger, { id: 'b', input: { peer: 'a' } });
  sim.metrics.gauge('g').set(3);
  return sim;
}

describe('forkSimulation', () => {
  it('a fork runs on to the trace hash of the original run, and leaves the original where it was', () => {
    const whole = pair(7);
    whole.runUntil(60_000);
    const parent = pair(7);
    parent.runUntil(20_000);
    const atFork = parent.trace.hash;
    const { sim: fork } = forkSimulation(parent);
    expect(fork.now).toBe(parent.now);
    expect(fork.trace.hash).toBe(atFork);
    fork.runUntil(60_000);
    expect(fork.trace.hash).toBe(whole.trace.hash);
    expect(fork.metrics.series()).toEqual(whole.metrics.series());
    expect(parent.trace.hash).toBe(atFork);
    expect(parent.now).toBe(20_000);
    // and the original, run on, ends where the fork did: they share nothing
    parent.runUntil(60_000);
    expect(parent.trace.hash).toBe(whole.trace.hash);
  });

  it('two forks and their parent, interleaved, do not disturb each other', () => {
    const whole = pair(3);
    whole.runUntil(30_000);
    const parent = pair(3);
    parent.runUntil(10_000);
    const one = forkSimulation(parent).sim;
    const two = forkSimulation(parent).sim;
    for (let t = 11_000; t <= 30_000; t += 1_000) {
      two.runUntil(t);
      parent.runUntil(t);
      one.runUntil(t);
    }
    expect([one.trace.hash, two.trace.hash, parent.trace.hash]).toEqual([whole.trace.hash, whole.trace.hash, whole.trace.hash]);
  });

  it('a fork that diverges (a message only it gets) leaves the original untouched', () => {
    const parent = pair(5);
    parent.runUntil(5_000);
    const control = pair(5);
    control.runUntil(20_000);
    const fork = forkSimulation(parent).sim;
    fork.send('ops', 'a', { type: 'PING' });
    fork.runUntil(20_000);
    parent.runUntil(20_000);
    expect(fork.trace.hash).not.toBe(control.trace.hash);
    expect(parent.trace.hash).toBe(control.trace.hash);
  });

  it('refuses a simulation on the xstate engine, saying why', () => {
    const sim = createSimulation({ seed: 1, engine: 'xstate' });
    sim.spawn(pinger, { id: 'a', input: { peer: 'b' } });
    expect(whyNotForkable(sim)).toMatch(/engine: 'xstate'/);
    expect(() => forkSimulation(sim)).toThrow(NotForkableError);
  });

  it('names a closure in the state and where it sits', () => {
    const sim = pair(1);
    let n = 0;
    sim.queue.schedule(1_000, () => n++);
    expect(whyNotForkable(sim)).toMatch(/^sim\.queue\.sFn\[\d+\]: function .* holds state a fork cannot copy/);
    expect(() => forkSimulation(sim)).toThrow(/cannot fork: fork\.sim\.queue\.sFn\[\d+\]/);
    expect(n).toBe(0);
  });

  it('your own callbacks fork when they are forkSafe (state in the argument) or bound with bindForFork', () => {
    const inject = forkSafe((a: { sim: Simulation; to: string }) => a.sim.send('ops', a.to, { type: 'PING' }));
    // an advance hook bound to a record of its own: it notes the last time the clock moved to
    const note = function (this: { lastMs: number }, _fromMs: number, toMs: number) {
      this.lastMs = toMs;
    };
    const setUp = () => {
      const sim = pair(9);
      sim.queue.schedule(30_000, inject, { sim, to: 'b' });
      const c = { lastMs: 0 };
      sim.queue.onAdvance(bindForFork(note, c));
      return { sim, c };
    };
    const whole = setUp();
    whole.sim.runUntil(60_000);
    const { sim: parent, c } = setUp();
    parent.runUntil(10_000);
    const { sim: fork, carry } = forkSimulation(parent, c);
    fork.runUntil(60_000);
    // the scheduled injection fired in the fork, to the fork's own actors; the bound hook wrote to the fork's own copy
    expect(fork.trace.hash).toBe(whole.sim.trace.hash);
    expect([carry.lastMs, c.lastMs]).toEqual([60_000, 10_000]);
  });

  it('refuses while someone subscribes to an actor’s snapshots, naming the subscriber', () => {
    const sim = pair(1);
    const sub = sim.actors.snapshots$('a').subscribe(() => {});
    expect(whyNotForkable(sim)).toMatch(/observers/);
    sub.unsubscribe();
    expect(whyNotForkable(sim)).toBeUndefined();
  });

  it('copies are instances of the same classes as the originals', () => {
    const sim = pair(1);
    sim.runUntil(1_000);
    const fork = forkSimulation(sim).sim;
    expect(fork.queue.constructor).toBe(sim.queue.constructor);
    expect(fork.random.constructor).toBe(sim.random.constructor);
    expect(fork.queue).not.toBe(sim.queue);
    expect(fork.random.next()).toBe(sim.random.next());
  });

  it('a simulation as built is forkable', () => {
    const sim = pair(2);
    sim.runUntil(1_000);
    expect(whyNotForkable(sim)).toBeUndefined();
  });
});

describe('copyGraph: what a copy shares, copies and refuses', () => {
  const fork = <T>(value: T): T => copyGraph(value, new Map());

  it('shares what is frozen all the way down, copies what freezing leaves writable', () => {
    const deep = Object.freeze({ a: Object.freeze([1, 2]), b: 'x' });
    const shallow = Object.freeze({ list: [1, 2] });
    const frozenMap = Object.freeze(new Map([['k', 1]]));
    const copied = fork({ deep, shallow, frozenMap });
    expect(copied.deep).toBe(deep);
    expect(copied.shallow).not.toBe(shallow);
    expect(copied.shallow.list).not.toBe(shallow.list);
    copied.frozenMap.set('k', 2);
    expect(frozenMap.get('k')).toBe(1);
  });

  it('does not share a frozen object whose cycle reaches a mutable one', () => {
    // a and b are frozen and refer to each other; a also holds a mutable list: neither may be shared. Looking at a
    // first meets b while a is still being looked at: b must not be taken for immutable on that assumption
    const list = [1];
    const a: { b?: object; list: number[] } = { b: undefined, list };
    const b = Object.freeze({ a });
    a.b = b;
    Object.freeze(a);
    const copied = fork({ a, b });
    expect(copied.b).not.toBe(b);
    expect(copied.a.list).not.toBe(list);
    expect((copied.b as { a: unknown }).a).toBe(copied.a);
  });

  it('copies typed arrays as views over one copy of the buffer they shared, and dates', () => {
    const buffer = new ArrayBuffer(16);
    const a = new Int32Array(buffer, 0, 2);
    const b = new Int32Array(buffer, 8, 2);
    const when = new Date(0);
    const copied = fork({ a, b, whole: new Int32Array(buffer), when });
    expect(copied.a.buffer).toBe(copied.b.buffer);
    expect(copied.a.buffer).not.toBe(buffer);
    copied.whole[2] = 7;
    expect(copied.b[0]).toBe(7); // the copies still overlap as the originals did
    expect(b[0]).toBe(0);
    expect(copied.when.getTime()).toBe(0);
    expect(copied.when).not.toBe(when);
  });

  it('copies a registered Map subclass with its own fields, and a Node Buffer as a Buffer', () => {
    class Registry extends Map<string, number> {
      hits = 0;
    }
    forkBlank(Registry, () => new Registry());
    const registry = new Registry([['a', 1]]);
    registry.hits = 2;
    const bytes = Buffer.from('hello');
    const copied = fork({ registry, bytes });
    expect(copied.registry).toBeInstanceOf(Registry);
    expect([copied.registry.hits, copied.registry.get('a')]).toEqual([2, 1]);
    expect(Buffer.isBuffer(copied.bytes)).toBe(true);
    copied.bytes[0] = 74;
    expect([copied.bytes.toString(), bytes.toString()]).toEqual(['Jello', 'hello']);
  });

  it.each([
    ['a symbol-keyed property', () => ({ [Symbol('s')]: [1] }), /symbol-keyed property/],
    ['a property that is not enumerable', () => Object.defineProperty({}, 'hidden', { value: [1], enumerable: false }), /not enumerable/],
    ['a named property on an array', () => Object.assign([1, 2], { extra: 3 }), /named property on an array/],
    [
      'an accessor',
      () => ({
        get now() {
          return 1;
        },
      }),
      /accessor/,
    ],
    ['a WeakMap', () => new WeakMap(), /WeakMap/],
    ['a named property on a typed array', () => Object.assign(new Float64Array(2), { scale: 3 }), /named property on a typed array/],
    ['a Map subclass', () => new (class Registry extends Map {})(), /subclass of Map/],
  ])('findUnforkable names %s', (_name, make, message) => {
    expect(findUnforkable({ held: make() }, 'x')).toMatch(message);
  });
});
