/**
 * The differential harness both engine-equivalence suites share (this package's engines.test.ts on hand-written
 * machines, the root test/engines.test.ts on the model's): a structural copy of actor state that toEqual can compare
 * across engines, and a log of every schedule and cancel on the event queue, with its pending entries in firing
 * order. Importing it patches EventQueue's prototype once per process to keep that log.
 */
import { afterAll } from 'vitest';
import { EventQueue } from '../src/index.ts';

/**
 * A structural copy for toEqual across engines: Maps and Sets as ordered entry lists, class
 * instances as class name and own fields, actors and machines by id, functions by name, cycles
 * cut, and the objects in `opaque` (the shared platform state, the simulation) as a marker.
 */
export function plain(v: unknown, opaque?: ReadonlyMap<object, string>, stack: Set<object> = new Set()): unknown {
  if (typeof v === 'function') return `[function ${v.name}]`;
  if (typeof v === 'number' && Number.isNaN(v)) return '[NaN]';
  if (v === null || typeof v !== 'object') return v;
  const marker = opaque?.get(v);
  if (marker !== undefined) return marker;
  if (stack.has(v)) return '[cycle]';
  const o = v as Record<string, unknown>;
  if (typeof o.send === 'function' && typeof o.getSnapshot === 'function') return `[actor ${String(o.id)}]`;
  if (typeof o.root === 'object' && typeof o.implementations === 'object') return `[machine ${String(o.id)}]`;
  // an actor's kernel port (an actor may keep its own in its context): the kernel's, not the actor's state
  if (typeof o.send === 'function' && typeof o.spawn === 'function' && typeof o.stop === 'function') return `[port ${String(o.id)}]`;
  stack.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => plain(x, opaque, stack));
    if (v instanceof Map) return { $map: [...v].map(([k, x]) => [plain(k, opaque, stack), plain(x, opaque, stack)]) };
    if (v instanceof Set) return { $set: [...v].map((x) => plain(x, opaque, stack)) };
    if (ArrayBuffer.isView(v)) return { $typed: Array.from(v as unknown as ArrayLike<number>) };
    if (v instanceof Error) return { $error: v.name, message: v.message };
    const out: Record<string, unknown> = {};
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) out.$class = proto.constructor?.name;
    for (const k of Object.keys(o)) out[k] = plain(o[k], opaque, stack);
    return out;
  } finally {
    stack.delete(v);
  }
}

// Every schedule and cancel on a simulation's event queue, through the queue's public methods
// (patched on the prototype for the importing test file, so a queue is followed from its first event). The
// engines must agree on what can be observed: which events are pending, at what times, with what
// payloads, and in which order they fire (at one instant: by sequence number). Absolute sequence
// numbers are not observable, and neither is a timer scheduled and cancelled within one queue
// event (it can never fire: for an actor halted during its own step, xstate starts and cancels its
// new timers, the compiled engine does not start them): such pairs are dropped on both sides. Nor
// is where, within one queue event, a cancel comes among the schedules (cancels take no sequence
// number: a crash cancels a compiled actor's timers at once, xstate's after the step), so the
// cancels of each queue event are compared as a set.
interface Scheduled {
  seq: number;
  /** the queue event (or test operation) in which it was scheduled */
  epoch: number;
  atMs: number;
  timeMs: number;
  owner: string | undefined;
  /** the envelope, for a message in flight */
  envelope: unknown;
  /** cancelled in the epoch it was scheduled in */
  stillborn: boolean;
}
interface QueueLog {
  entries: (Scheduled | { cancelled: Scheduled; atMs: number; epoch: number })[];
  live: Map<unknown, Scheduled>;
  next: number;
}
/** Advanced before every queue event fires, and by the harness before every operation. */
let epoch = 0;

/** A new queue event or test operation begins: timers scheduled and cancelled within one epoch never existed. */
export function nextEpoch(): void {
  epoch++;
}
const queueLogs = new WeakMap<EventQueue, QueueLog>();
export const logOf = (q: EventQueue): QueueLog => {
  let log = queueLogs.get(q);
  if (log === undefined) queueLogs.set(q, (log = { entries: [], live: new Map(), next: 0 }));
  return log;
};
const envelopeOf = (arg: unknown): unknown => {
  const a = arg as { from?: unknown; to?: unknown; event?: unknown; sentAtMs?: unknown } | null | undefined;
  return a !== null && typeof a === 'object' && 'sentAtMs' in a && 'from' in a && 'to' in a
    ? { from: a.from, to: a.to, event: plain(a.event), sentAtMs: a.sentAtMs }
    : undefined;
};
type AnyFn = (...args: unknown[]) => unknown;
const queueProto = EventQueue.prototype as unknown as Record<'schedule' | 'scheduleAt' | 'cancel', AnyFn>;
const originals = { schedule: queueProto.schedule, scheduleAt: queueProto.scheduleAt, cancel: queueProto.cancel };
for (const method of ['schedule', 'scheduleAt'] as const) {
  queueProto[method] = function (this: EventQueue, when: unknown, fn: unknown, arg: unknown, owner: unknown) {
    const log = logOf(this);
    const box: { handle: unknown } = { handle: undefined };
    const run = fn as AnyFn;
    const handle = originals[method].call(
      this,
      when,
      function (this: unknown, ...args: unknown[]) {
        epoch++;
        log.live.delete(box.handle);
        return run.apply(this, args);
      },
      arg,
      owner,
    );
    box.handle = handle;
    const entry: Scheduled = {
      seq: log.next++,
      epoch,
      atMs: this.now,
      timeMs: method === 'schedule' ? this.now + (when as number) : (when as number),
      owner: (owner as string | undefined) ?? this.currentOwner,
      envelope: envelopeOf(arg),
      stillborn: false,
    };
    log.live.set(handle, entry);
    log.entries.push(entry);
    return handle;
  };
}
queueProto.cancel = function (this: EventQueue, handle: unknown) {
  const log = logOf(this);
  const entry = log.live.get(handle);
  if (entry !== undefined) {
    log.live.delete(handle);
    if (entry.epoch === epoch) entry.stillborn = true;
    else log.entries.push({ cancelled: entry, atMs: this.now, epoch });
  }
  return originals.cancel.call(this, handle);
};
afterAll(() => Object.assign(queueProto, originals));

/**
 * Every schedule and cancel: stillborn timers left out, the rest numbered in order, and the cancels
 * of each queue event after its schedules, ordered by what they cancel.
 */
export function scheduleLog(queue: EventQueue): unknown[] {
  const kept = new Map<Scheduled, number>();
  const out: unknown[] = [];
  let cancels: { cancel: number; atMs: number }[] = [];
  let at = -1;
  const flush = () => {
    out.push(...cancels.sort((x, y) => x.cancel - y.cancel));
    cancels = [];
  };
  for (const e of logOf(queue).entries) {
    if (e.epoch !== at) {
      flush();
      at = e.epoch;
    }
    if ('cancelled' in e) cancels.push({ cancel: kept.get(e.cancelled)!, atMs: e.atMs });
    else if (!e.stillborn) {
      kept.set(e, kept.size);
      out.push({ n: kept.size - 1, atMs: e.atMs, timeMs: e.timeMs, owner: e.owner, envelope: e.envelope });
    }
  }
  flush();
  return out;
}

/** The live entries of the queue in firing order (time, then sequence number). */
export function pending(queue: EventQueue): unknown[] {
  return [...logOf(queue).live.values()]
    .sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq)
    .map(({ atMs, timeMs, owner, envelope }) => ({ atMs, timeMs, owner, envelope }));
}

export const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : `thrown: ${String(err)}`);
