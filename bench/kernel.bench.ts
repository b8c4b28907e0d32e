/**
 * Kernel benchmark: a synthetic workload run three ways in one process.
 *
 * N actors; each delivered message makes its recipient send one message to a
 * random peer with a random latency, until every actor has sent M. Run as
 *  - baseline: a hand-written heap-and-switch loop (the ceiling in this runtime),
 *  - compiled: one xstate machine per actor on the kernel, compiled engine (the default),
 *  - xstate:   the same machines on xstate's interpreter (engine: 'xstate').
 * Actors address peers by id from a table built once (as model actors hold
 * the ids they talk to); building `a${i}` per message would time string
 * hashing, not the kernel. Prints events/s, the ratio to the baseline and
 * heap bytes per idle actor for each, then one JSON line.
 */
import { createSimulation, type EngineName, portOf } from '@stampede/kernel';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { assign, setup } from 'xstate';
import { xstateBuild } from './xstate-build.ts';

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

let ids: string[] = [];

const peer = setup({
  types: { context: {} as { n: number; m: number; sent: number; received: number }, input: {} as { n: number; m: number } },
  actions: {
    forward: ({ context, self }) => {
      if (context.sent >= context.m) return;
      context.sent++; // counted in place: `assign` would allocate a context per message
      const port = portOf(self);
      port.send(ids[port.random.int(0, context.n - 1)]!, MSG);
    },
  },
}).createMachine({
  id: 'peer',
  context: ({ input }) => ({ n: input.n, m: input.m, sent: 0, received: 0 }),
  initial: 'active',
  states: { active: { on: { MSG: { actions: [assign({ received: ({ context }) => context.received + 1 }), 'forward'] } } } },
});
const MSG = { type: 'MSG' } as const;

function kernel(n: number, m: number, engine: EngineName): { events: number; seconds: number; bytesPerActor: number; hash: string } {
  ids = Array.from({ length: n }, (_, i) => `a${i}`);
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  const sim = createSimulation({ seed: 42, engine, network: { minLatencyMs: MIN_LAT, maxLatencyMs: MAX_LAT } });
  for (let a = 0; a < n; a++) sim.spawn(peer, { id: ids[a]!, input: { n, m } });
  gc!();
  gc!();
  const bytesPerActor = (process.memoryUsage().heapUsed - before) / n;
  for (let a = 0; a < n; a++) sim.actors.get(ids[a]!).getSnapshot().context.sent = 1;
  for (let a = 0; a < n; a++) sim.send(ids[a]!, ids[sim.random.int(0, n - 1)]!, MSG);
  const start = process.hrtime.bigint();
  const events = sim.runUntilIdle();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { events, seconds, bytesPerActor, hash: sim.trace.hash };
}

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const results = [];
console.log(`kernel bench: N actors, each sends M messages to random peers (latency 1-10 ms); median of 3 runs; ${xstateBuild()}`);
for (const n of sizes) {
  const m = Math.max(10, Math.round(1e6 / n));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
  const b = [0, 1, 2].map(() => baseline(n, m));
  const c = [0, 1, 2].map(() => kernel(n, m, 'compiled'));
  const x = [0, 1, 2].map(() => kernel(n, m, 'xstate'));
  if (c[0]!.hash !== x[0]!.hash) throw new Error(`kernel bench: engines disagree at N=${n}: ${c[0]!.hash} vs ${x[0]!.hash}`);
  const baselineEventsPerSec = median(b.map((r) => r.events / r.seconds));
  const compiledEventsPerSec = median(c.map((r) => r.events / r.seconds));
  const xstateEventsPerSec = median(x.map((r) => r.events / r.seconds));
  const compiledBytesPerActor = median(c.map((r) => r.bytesPerActor));
  const xstateBytesPerActor = median(x.map((r) => r.bytesPerActor));
  const ratio = compiledEventsPerSec / baselineEventsPerSec;
  const xstateRatio = xstateEventsPerSec / baselineEventsPerSec;
  console.log(
    `N=${n} M=${m}: baseline ${(baselineEventsPerSec / 1e6).toFixed(2)} M ev/s | compiled ${(compiledEventsPerSec / 1e3).toFixed(0)} k ev/s, ` +
      `ratio ${ratio.toFixed(3)}, ${compiledBytesPerActor.toFixed(0)} B/actor | xstate ${(xstateEventsPerSec / 1e3).toFixed(0)} k ev/s, ` +
      `ratio ${xstateRatio.toFixed(3)}, ${xstateBytesPerActor.toFixed(0)} B/actor | compiled/xstate ${(compiledEventsPerSec / xstateEventsPerSec).toFixed(1)}x | ` +
      `${c[0]!.events} events, hash ${c[0]!.hash} (both engines)`,
  );
  results.push({
    n,
    m,
    baselineEventsPerSec: Math.round(baselineEventsPerSec),
    compiledEventsPerSec: Math.round(compiledEventsPerSec),
    ratio: Number(ratio.toFixed(3)),
    compiledBytesPerActor: Math.round(compiledBytesPerActor),
    xstateEventsPerSec: Math.round(xstateEventsPerSec),
    xstateRatio: Number(xstateRatio.toFixed(3)),
    xstateBytesPerActor: Math.round(xstateBytesPerActor),
    speedup: Number((compiledEventsPerSec / xstateEventsPerSec).toFixed(2)),
  });
}
console.log(JSON.stringify({ bench: 'kernel', results }));
