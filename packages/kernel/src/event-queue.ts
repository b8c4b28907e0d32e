/**
 * The one event queue that orders everything in a simulation.
 *
 * A binary heap keyed by (virtual time in ms, insertion sequence): events at
 * the same instant fire in the order they were scheduled (FIFO), which is what
 * makes a run reproducible. Cancellation is lazy (the entry is marked and
 * skipped when popped), so cancel is O(1) and the heap never needs a search.
 *
 * The heap lives in typed arrays (time, sequence, slot) and each event's
 * callback and argument in a slot table reused through a free list: no object
 * per event, so millions of events cost no garbage and the sift loops stay in
 * contiguous memory (the object heap it replaces spent a sixth of a replay in
 * pointer chasing and a fifth in GC).
 *
 * When to use: directly only if you embed the kernel without actors; the
 * xstate clock, the RxJS scheduler and the network are adapters onto this.
 * Gotcha: a callback that schedules at delay 0 runs at the same instant, after
 * everything already queued for it; the livelock guard stops a run that does
 * this without end.
 */
import { checkInteger, checkNonNegative, KernelInputError, LivelockError } from './errors.ts';
import { forkBlank } from './fork-graph.ts';

declare const scheduledBrand: unique symbol;
/**
 * A handle to a scheduled event, for `cancel`. Opaque: a number that names the
 * event's slot and that slot's reuse count, so a stale handle cancels nothing.
 */
export type ScheduledEvent = number & { readonly [scheduledBrand]: true };

// A handle is slot + generation × SLOT_SPACE: up to 2^26 pending events, generations wrap at 2^26.
const SLOT_SPACE = 2 ** 26;
const GEN_MASK = 2 ** 26 - 1;

/** A typed array of twice the length with the same leading contents. */
function doubled<T extends Float64Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

export interface EventQueueOptions {
  /**
   * Most events allowed at one virtual instant before the run stops with a
   * LivelockError naming the busiest actors.
   * @defaultValue 1_000_000
   */
  maxEventsPerInstant?: number;
}

/** Called before the queue moves its clock forward; the metrics sampler hooks in here. */
export type AdvanceHook = (fromMs: number, toMs: number) => void;

export class EventQueue {
  // the heap: parallel typed arrays of (time, seq, slot), grown by doubling
  private hTime = new Float64Array(1024);
  private hSeq = new Float64Array(1024);
  private hSlot = new Int32Array(1024);
  private n = 0;
  // the slot table: what each pending (or cancelled, not yet popped) event runs
  private sFn: (((arg: any, handle: ScheduledEvent) => void) | null)[] = [];
  private sArg: unknown[] = [];
  private sOwner: (string | undefined)[] = [];
  private sGen = new Int32Array(1024);
  private freeSlots = new Int32Array(1024);
  private freeTop = 0;
  private seq = 0;
  private live = 0;
  private nowMs = 0;
  private sameInstant = 0;
  private suspects: Map<string, number> | undefined = undefined;
  private suspectEvents = 0;
  private readonly maxEventsPerInstant: number;
  private readonly advanceHooks: AdvanceHook[] = [];
  /** Owner of the event being fired, so timers it schedules inherit it. */
  currentOwner: string | undefined = undefined;
  /** Events fired since the queue was created. */
  fired = 0;

  constructor(options: EventQueueOptions = {}) {
    this.maxEventsPerInstant = checkInteger('createEventQueue', 'options.maxEventsPerInstant', options.maxEventsPerInstant ?? 1_000_000, 1);
  }

  /** Current virtual time in ms. */
  get now(): number {
    return this.nowMs;
  }

  /** Number of pending (not cancelled) events. */
  get size(): number {
    return this.live;
  }

  /** Registers a hook called whenever virtual time is about to advance. */
  onAdvance(hook: AdvanceHook): void {
    this.advanceHooks.push(hook);
  }

  /**
   * Schedules `fn(arg, handle)` to run `delayMs` after now. Returns the handle, for `cancel`.
   * Passing `arg` instead of a closure keeps the hot path allocation-free.
   */
  schedule<A>(delayMs: number, fn: (arg: A, handle: ScheduledEvent) => void, arg?: A, owner?: string): ScheduledEvent {
    if (!(delayMs >= 0) || delayMs === Infinity) checkNonNegative('EventQueue.schedule', 'delayMs', delayMs);
    return this.push(this.nowMs + delayMs, this.seq++, fn, arg, owner ?? this.currentOwner);
  }

  /** Schedules `fn(arg)` at absolute virtual time `timeMs` (>= now). */
  scheduleAt<A>(timeMs: number, fn: (arg: A, handle: ScheduledEvent) => void, arg?: A, owner?: string): ScheduledEvent {
    if (!(timeMs >= this.nowMs) || timeMs === Infinity) {
      throw new KernelInputError('EventQueue.scheduleAt', 'timeMs', timeMs, `a finite time >= now (${this.nowMs} ms)`);
    }
    return this.push(timeMs, this.seq++, fn, arg, owner ?? this.currentOwner);
  }

  /**
   * @internal Schedules `fn(arg)` at `timeMs` with the given place among the events of that instant: what a fork uses to
   * put an event exactly where a run from scratch would have scheduled it (a fractional `seq` between two scheduled
   * events). The place must be one no event fired yet holds.
   */
  scheduleAtPlace<A>(timeMs: number, seq: number, fn: (arg: A, handle: ScheduledEvent) => void, arg?: A, owner?: string): ScheduledEvent {
    if (!(timeMs >= this.nowMs) || timeMs === Infinity || !Number.isFinite(seq)) {
      throw new KernelInputError('EventQueue.scheduleAtPlace', 'timeMs', timeMs, `a finite time >= now (${this.nowMs} ms)`);
    }
    return this.push(timeMs, seq, fn, arg, owner);
  }

  /** @internal the sequence number the next scheduled event gets (events at one instant fire in this order) */
  get nextSeq(): number {
    return this.seq;
  }

  /** Whether `event` is still to fire (not fired, not cancelled). */
  isPending(event: ScheduledEvent): boolean {
    const slot = event % SLOT_SPACE;
    return this.sGen[slot] === (event - slot) / SLOT_SPACE && this.sFn[slot] != null;
  }

  /** Cancels a pending event. Cancelling a fired or cancelled event does nothing. */
  cancel(event: ScheduledEvent): void {
    const slot = event % SLOT_SPACE;
    if (this.sGen[slot] !== (event - slot) / SLOT_SPACE || this.sFn[slot] == null) return;
    this.sFn[slot] = null;
    this.sArg[slot] = undefined;
    this.live--;
  }

  /** Fires the next event. Returns false when the queue is empty. */
  step(): boolean {
    if (!this.dropCancelledTop()) return false;
    this.fireTop();
    return true;
  }

  /**
   * Fires every event with time < `timeMs` and leaves the clock at the last one fired: nothing at `timeMs` has
   * happened yet, so a fork taken now can add an event at `timeMs` in any place among that instant's events.
   * Returns the number of events fired.
   */
  runBefore(timeMs: number): number {
    if (!(timeMs >= this.nowMs) || timeMs === Infinity) {
      throw new KernelInputError('EventQueue.runBefore', 'timeMs', timeMs, `a finite time >= now (${this.nowMs} ms)`);
    }
    const start = this.fired;
    while (this.dropCancelledTop() && this.hTime[0]! < timeMs) this.fireTop();
    return this.fired - start;
  }

  /**
   * Fires every event with time <= `untilMs`, then sets the clock to `untilMs`.
   * Returns the number of events fired.
   */
  runUntil(untilMs: number): number {
    if (!(untilMs >= this.nowMs) || untilMs === Infinity) {
      throw new KernelInputError('EventQueue.runUntil', 'untilMs', untilMs, `a finite time >= now (${this.nowMs} ms)`);
    }
    const start = this.fired;
    while (this.dropCancelledTop() && this.hTime[0]! <= untilMs) this.fireTop();
    this.advanceTo(untilMs);
    return this.fired - start;
  }

  /** Fires events until none is left, or `maxEvents` have fired. Returns the count fired. */
  runUntilIdle(maxEvents = Number.MAX_SAFE_INTEGER): number {
    checkInteger('EventQueue.runUntilIdle', 'maxEvents', maxEvents, 0);
    const start = this.fired;
    while (this.fired - start < maxEvents && this.dropCancelledTop()) this.fireTop();
    return this.fired - start;
  }

  /** Time of the next pending event, or undefined when idle. */
  peekTime(): number | undefined {
    return this.dropCancelledTop() ? this.hTime[0] : undefined;
  }

  private push(
    timeMs: number,
    seq: number,
    fn: (arg: any, handle: ScheduledEvent) => void,
    arg: unknown,
    owner: string | undefined,
  ): ScheduledEvent {
    let slot: number;
    if (this.freeTop > 0) slot = this.freeSlots[--this.freeTop]!;
    else {
      slot = this.sFn.length;
      if (slot >= SLOT_SPACE) throw new KernelInputError('EventQueue.schedule', 'pending events', slot, `at most ${SLOT_SPACE}`);
      if (slot >= this.sGen.length) this.sGen = doubled(this.sGen);
      this.sFn.push(null);
      this.sArg.push(undefined);
      this.sOwner.push(undefined);
    }
    const gen = (this.sGen[slot]! + 1) & GEN_MASK;
    this.sGen[slot] = gen;
    this.sFn[slot] = fn;
    this.sArg[slot] = arg;
    this.sOwner[slot] = owner;
    this.live++;
    if (this.n === this.hTime.length) this.grow();
    const time = this.hTime;
    const seqs = this.hSeq;
    const slots = this.hSlot;
    // sift up
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = time[p]!;
      if (pt < timeMs || (pt === timeMs && seqs[p]! < seq)) break;
      time[i] = pt;
      seqs[i] = seqs[p]!;
      slots[i] = slots[p]!;
      i = p;
    }
    time[i] = timeMs;
    seqs[i] = seq;
    slots[i] = slot;
    return (slot + gen * SLOT_SPACE) as ScheduledEvent;
  }

  private grow(): void {
    this.hTime = doubled(this.hTime);
    this.hSeq = doubled(this.hSeq);
    this.hSlot = doubled(this.hSlot);
  }

  /** Pops cancelled events off the top; true when a live event is on top. */
  private dropCancelledTop(): boolean {
    while (this.n > 0) {
      const slot = this.hSlot[0]!;
      if (this.sFn[slot] != null) return true;
      this.popTop();
      this.release(slot);
    }
    return false;
  }

  private release(slot: number): void {
    this.sOwner[slot] = undefined;
    if (this.freeTop === this.freeSlots.length) this.freeSlots = doubled(this.freeSlots);
    this.freeSlots[this.freeTop++] = slot;
  }

  /** Removes the top entry and restores the heap. */
  private popTop(): void {
    const n = --this.n;
    if (n === 0) return;
    const time = this.hTime;
    const seqs = this.hSeq;
    const slots = this.hSlot;
    // sift the last entry down from the root
    const lt = time[n]!;
    const ls = seqs[n]!;
    const lslot = slots[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let ct = time[l]!;
      if (r < n) {
        const rt = time[r]!;
        if (rt < ct || (rt === ct && seqs[r]! < seqs[l]!)) {
          c = r;
          ct = rt;
        }
      }
      if (lt < ct || (lt === ct && ls < seqs[c]!)) break;
      time[i] = ct;
      seqs[i] = seqs[c]!;
      slots[i] = slots[c]!;
      i = c;
    }
    time[i] = lt;
    seqs[i] = ls;
    slots[i] = lslot;
  }

  /** Fires the (live) top event. */
  private fireTop(): void {
    const timeMs = this.hTime[0]!;
    const slot = this.hSlot[0]!;
    const owner = this.sOwner[slot];
    // the livelock guard throws before the event leaves the heap: it stays queued, its slot in use
    if (timeMs > this.nowMs) {
      if (this.suspects !== undefined) throw this.livelock();
      this.advanceTo(timeMs);
      this.sameInstant = 0;
    } else if (++this.sameInstant > this.maxEventsPerInstant) {
      this.suspect(owner);
    }
    this.popTop();
    const fn = this.sFn[slot]!;
    const arg = this.sArg[slot];
    const handle = (slot + this.sGen[slot]! * SLOT_SPACE) as ScheduledEvent;
    this.sFn[slot] = null;
    this.sArg[slot] = undefined;
    this.release(slot);
    this.live--;
    this.fired++;
    const prevOwner = this.currentOwner;
    this.currentOwner = owner;
    try {
      fn(arg, handle);
    } finally {
      this.currentOwner = prevOwner;
    }
  }

  private advanceTo(timeMs: number): void {
    if (timeMs <= this.nowMs) return;
    const hooks = this.advanceHooks;
    for (let i = 0; i < hooks.length; i++) hooks[i]!(this.nowMs, timeMs);
    this.nowMs = timeMs;
  }

  /**
   * Past the limit, watch a few hundred more events at this instant to learn
   * who keeps re-queuing there, then stop the run naming them.
   */
  private suspect(ownerId: string | undefined): void {
    const counts = (this.suspects ??= new Map());
    const owner = ownerId ?? '(kernel)';
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
    if (++this.suspectEvents >= 500) throw this.livelock();
  }

  private livelock(): LivelockError {
    const actors = [...(this.suspects ?? new Map<string, number>()).entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5)
      .map(([id, events]) => ({ id, events }));
    const err = new LivelockError(this.nowMs, this.sameInstant, actors);
    this.suspects = undefined;
    this.suspectEvents = 0;
    return err;
  }
}

// a fork copies the queue into an instance the constructor made (fork-graph.ts, forkBlank)
forkBlank(EventQueue, () => new EventQueue());
