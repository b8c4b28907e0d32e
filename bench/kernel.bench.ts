/**
 * Kernel benchmark: a synthetic workload run two ways in one process.
 *
 * N actors; each delivered message makes its recipient send one message to a
 * random peer with a random latency, until every actor has sent M. Run as
 *  - baseline: a hand-written heap-and-switch loop (the ceiling in this runtime),
 *  - kernel:   real xstate actors spawned on the kernel, messages through its network.
 * Prints events/s of each, their ratio and heap bytes per idle actor, then one JSON line.
 */
import { createSimulation, portOf } from '@stampede/kernel';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { type AnyActorLogic, assign, fromTransition, setup } from 'xstate';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (pnpm bench does)');

const MIN_LAT = 1;
const MAX_LAT = 10;

function baseline(n: number, m: number): { events: number; seconds: number } {
  // parallel arrays for the heap: time, seq, kind, target
  let cap = 1024;
  let time = new Float64Array(cap);
  let seq = new Float64Array(cap);
  let target = new Int32Array(cap);
  let kind = new Uint8Array(cap);
  let size = 0;
  let nextSeq = 0;
  const sent = new Int32Array(n);
  const received = new Int32Array(n);
  const rng = xoroshiro128plus(42);
  const less = (i: number, j: number) => time[i]! < time[j]! || (time[i] === time[j] && seq[i]! < seq[j]!);
  const swap = (i: number, j: number) => {
    let t = time[i]!;
    time[i] = time[j]!;
    time[j] = t;
    t = seq[i]!;
    seq[i] = seq[j]!;
    seq[j] = t;
    const g = target[i]!;
    target[i] = target[j]!;
    target[j] = g;
    const k = kind[i]!;
    kind[i] = kind[j]!;
    kind[j] = k;
  };
  const push = (t: number, to: number, k: number) => {
    if (size === cap) {
      cap *= 2;
      const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, C: new (n: number) => T) => {
        const b = new C(cap);
        b.set(a);
        return b;
      };
      time = grow(time, Float64Array);
      seq = grow(seq, Float64Array);
      target = grow(target, Int32Array);
      kind = grow(kind, Uint8Array);
    }
    let i = size++;
    time[i] = t;
    seq[i] = nextSeq++;
    target[i] = to;
    kind[i] = k;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(i, p)) break;
      swap(i, p);
      i = p;
    }
  };
  const pop = () => {
    size--;
    if (size > 0) {
      swap(0, size);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        let c = l;
        if (l + 1 < size && less(l + 1, l)) c = l + 1;
        if (!less(c, i)) break;
        swap(i, c);
        i = c;
      }
    }
  };
  let now = 0;
  for (let a = 0; a < n; a++) {
    sent[a] = 1;
    push(MIN_LAT + (MAX_LAT - MIN_LAT) * uniformFloat64(rng), Math.floor(uniformFloat64(rng) * n), 0);
  }
  let events = 0;
  const start = process.hrtime.bigint();
  while (size > 0) {
    now = time[0]!;
    const to = target[0]!;
    const k = kind[0]!;
    pop();
    events++;
    switch (k) {
      case 0: // message
        received[to]!++;
        if (sent[to]! < m) {
          sent[to]!++;
          push(now + MIN_LAT + (MAX_LAT - MIN_LAT) * uniformFloat64(rng), Math.floor(uniformFloat64(rng) * n), 0);
        }
        break;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { events, seconds };
}

const peer = setup({
  types: { context: {} as { n: number; m: number; sent: number; received: number }, input: {} as { n: number; m: number } },
  actions: {
    forward: ({ context, self }) => {
      if (context.sent >= context.m) return;
      context.sent++; // counted in place: `assign` would allocate a context per message
      const port = portOf(self);
      port.send(`a${port.random.int(0, context.n - 1)}`, MSG);
    },
  },
}).createMachine({
  id: 'peer',
  context: ({ input }) => ({ n: input.n, m: input.m, sent: 0, received: 0 }),
  initial: 'active',
  states: { active: { on: { MSG: { actions: [assign({ received: ({ context }) => context.received + 1 }), 'forward'] } } } },
});
const MSG = { type: 'MSG' } as const;

// The same actor as reducer logic: still a real xstate actor (mailbox, system,
// snapshots), without the statechart interpreter's macrostep.
type PeerState = { n: number; m: number; sent: number; received: number };
const peerReducer = (input: { n: number; m: number }) =>
  fromTransition(
    (state: PeerState, _event: { type: string }, { self }) => {
      state.received++;
      if (state.sent < state.m) {
        state.sent++;
        const port = portOf(self);
        port.send(`a${port.random.int(0, state.n - 1)}`, MSG);
      }
      return state;
    },
    { n: input.n, m: input.m, sent: 0, received: 0 },
  );

function kernel(
  n: number,
  m: number,
  variant: 'machine' | 'reducer',
): { events: number; seconds: number; bytesPerActor: number; hash: string } {
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  const sim = createSimulation({ seed: 42, network: { minLatencyMs: MIN_LAT, maxLatencyMs: MAX_LAT } });
  for (let a = 0; a < n; a++) {
    const logic: AnyActorLogic = variant === 'machine' ? peer : peerReducer({ n, m });
    sim.spawn(logic, { id: `a${a}`, input: { n, m } });
  }
  gc!();
  gc!();
  const bytesPerActor = (process.memoryUsage().heapUsed - before) / n;
  for (let a = 0; a < n; a++) {
    const snap = sim.actors.get(`a${a}`).getSnapshot();
    snap.context.sent = 1; // both logics keep their state in `context`
  }
  for (let a = 0; a < n; a++) sim.send(`a${a}`, `a${sim.random.int(0, n - 1)}`, MSG);
  const start = process.hrtime.bigint();
  const events = sim.runUntilIdle();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { events, seconds, bytesPerActor, hash: sim.trace.hash };
}

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const results = [];
console.log('kernel bench: N actors, each sends M messages to random peers (latency 1-10 ms); median of 3 runs');
for (const n of sizes) {
  const m = Math.max(10, Math.round(1e6 / n));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
  const b = [0, 1, 2].map(() => baseline(n, m));
  const k = [0, 1, 2].map(() => kernel(n, m, 'machine'));
  const r = [0, 1, 2].map(() => kernel(n, m, 'reducer'));
  const baselineEventsPerSec = median(b.map((r) => r.events / r.seconds));
  const kernelEventsPerSec = median(k.map((r) => r.events / r.seconds));
  const reducerEventsPerSec = median(r.map((x) => x.events / x.seconds));
  const bytesPerActor = median(k.map((x) => x.bytesPerActor));
  const reducerBytesPerActor = median(r.map((x) => x.bytesPerActor));
  const ratio = kernelEventsPerSec / baselineEventsPerSec;
  const reducerRatio = reducerEventsPerSec / baselineEventsPerSec;
  console.log(
    `N=${n} M=${m}: baseline ${(baselineEventsPerSec / 1e6).toFixed(2)} M ev/s, kernel ${(kernelEventsPerSec / 1e3).toFixed(0)} k ev/s, ` +
      `ratio ${ratio.toFixed(3)}, ${bytesPerActor.toFixed(0)} B/actor | kernel+fromTransition actors ${(reducerEventsPerSec / 1e3).toFixed(0)} k ev/s, ` +
      `ratio ${reducerRatio.toFixed(3)}, ${reducerBytesPerActor.toFixed(0)} B/actor | ${k[0]!.events} events, hash ${k[0]!.hash}`,
  );
  results.push({
    n,
    m,
    baselineEventsPerSec: Math.round(baselineEventsPerSec),
    kernelEventsPerSec: Math.round(kernelEventsPerSec),
    ratio: Number(ratio.toFixed(3)),
    bytesPerActor: Math.round(bytesPerActor),
    reducerActorEventsPerSec: Math.round(reducerEventsPerSec),
    reducerRatio: Number(reducerRatio.toFixed(3)),
    reducerBytesPerActor: Math.round(reducerBytesPerActor),
  });
}
console.log(JSON.stringify({ bench: 'kernel', results }));
