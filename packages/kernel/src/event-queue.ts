/**
 * The one event queue that orders everything in a simulation.
 *
 * A binary heap keyed by (virtual time in ms, insertion sequence): events at
 * the same instant fire in the order they were scheduled (FIFO), which is what
 * makes a run reproducible. Cancellation is lazy (the entry is marked and
 * skipped when popped), so cancel is O(1) and the heap never needs a search.
 *
 * When to use: directly only if you embed the kernel without actors; the
 * xstate clock, the RxJS scheduler and the network are adapters onto this.
 * Gotcha: a callback that schedules at delay 0 runs at the same instant, after
 * everything already queued for it; the livelock guard stops a run that does
 * this without end.
 */
import { checkInteger, checkNonNegative, KernelInputError, LivelockError } from './errors.ts';

/** A scheduled event. Opaque to callers except as a handle for `cancel`. */
export interface ScheduledEvent {
  readonly timeMs: number;
  /** @internal */ seq: number;
  /** @internal null once cancelled or fired */ fn: ((arg: any) => void) | null;
  /** @internal */ arg: unknown;
  /** @internal actor that owns the event, for livelock reports */ owner: string | undefined;
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
  private heap: ScheduledEvent[] = [];
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
   * Schedules `fn(arg)` to run `delayMs` after now. Returns a handle for `cancel`.
   * Passing `arg` instead of a closure keeps the hot path allocation-light.
   */
  schedule<A>(delayMs: number, fn: (arg: A) => void, arg?: A, owner?: string): ScheduledEvent {
    if (!(delayMs >= 0) || delayMs === Infinity) checkNonNegative('EventQueue.schedule', 'delayMs', delayMs);
    return this.push(this.nowMs + delayMs, fn, arg, owner ?? this.currentOwner);
  }

  /** Schedules `fn(arg)` at absolute virtual time `timeMs` (>= now). */
  scheduleAt<A>(timeMs: number, fn: (arg: A) => void, arg?: A, owner?: string): ScheduledEvent {
    if (!(timeMs >= this.nowMs) || timeMs === Infinity) {
      throw new KernelInputError('EventQueue.scheduleAt', 'timeMs', timeMs, `a finite time >= now (${this.nowMs} ms)`);
    }
    return this.push(timeMs, fn, arg, owner ?? this.currentOwner);
  }

  /** Cancels a pending event. Cancelling a fired or cancelled event does nothing. */
  cancel(event: ScheduledEvent): void {
    if (event.fn !== null) {
      event.fn = null;
      event.arg = undefined;
      this.live--;
    }
  }

  /** Fires the next event. Returns false when the queue is empty. */
  step(): boolean {
    const ev = this.popLive();
    if (ev === undefined) return false;
    this.fire(ev);
    return true;
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
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (top.fn === null) {
        this.popTop();
        continue;
      }
      if (top.timeMs > untilMs) break;
      this.popTop();
      this.fire(top);
    }
    this.advanceTo(untilMs);
    return this.fired - start;
  }

  /** Fires events until none is left, or `maxEvents` have fired. Returns the count fired. */
  runUntilIdle(maxEvents = Number.MAX_SAFE_INTEGER): number {
    checkInteger('EventQueue.runUntilIdle', 'maxEvents', maxEvents, 0);
    const start = this.fired;
    while (this.fired - start < maxEvents) {
      const ev = this.popLive();
      if (ev === undefined) break;
      this.fire(ev);
    }
    return this.fired - start;
  }

  /** Time of the next pending event, or undefined when idle. */
  peekTime(): number | undefined {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.fn === null) this.popTop();
    return heap.length > 0 ? heap[0]!.timeMs : undefined;
  }

  private push(timeMs: number, fn: (arg: any) => void, arg: unknown, owner: string | undefined): ScheduledEvent {
    const ev: ScheduledEvent = { timeMs, seq: this.seq++, fn, arg, owner };
    this.live++;
    const heap = this.heap;
    // sift up
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (parent.timeMs < timeMs || (parent.timeMs === timeMs && parent.seq < ev.seq)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = ev;
    return ev;
  }

  private popLive(): ScheduledEvent | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = this.popTop();
      if (top.fn !== null) return top;
    }
    return undefined;
  }

  private popTop(): ScheduledEvent {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      // sift down `last` from the root
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let child = heap[l]!;
        if (r < n) {
          const rc = heap[r]!;
          if (rc.timeMs < child.timeMs || (rc.timeMs === child.timeMs && rc.seq < child.seq)) {
            c = r;
            child = rc;
          }
        }
        if (last.timeMs < child.timeMs || (last.timeMs === child.timeMs && last.seq < child.seq)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  private fire(ev: ScheduledEvent): void {
    if (ev.timeMs > this.nowMs) {
      if (this.suspects !== undefined) throw this.livelock();
      this.advanceTo(ev.timeMs);
      this.sameInstant = 0;
    } else if (++this.sameInstant > this.maxEventsPerInstant) {
      this.suspect(ev);
    }
    const fn = ev.fn!;
    const arg = ev.arg;
    ev.fn = null;
    ev.arg = undefined;
    this.live--;
    this.fired++;
    const prevOwner = this.currentOwner;
    this.currentOwner = ev.owner;
    try {
      fn(arg);
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
  private suspect(ev: ScheduledEvent): void {
    const counts = (this.suspects ??= new Map());
    const owner = ev.owner ?? '(kernel)';
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
