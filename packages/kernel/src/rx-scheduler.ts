/**
 * An RxJS `SchedulerLike` on the kernel's event queue.
 *
 * Pass it to time-based operators (`timer(ms, scheduler)`,
 * `delay(ms, scheduler)`, `interval(ms, scheduler)`) so they run on the same
 * virtual timeline as xstate timers and message delivery. RxJS's own
 * `VirtualTimeScheduler` is a separate queue and was measured far slower at
 * scale; this adapter adds one queue event per scheduled action.
 * Gotcha: operators default to the real `asyncScheduler` when no scheduler is
 * passed; always pass this one inside a simulation.
 */
import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import { checkNonNegative } from './errors.ts';
import type { EventQueue, ScheduledEvent } from './event-queue.ts';

class QueueAction<T> extends Subscription implements SchedulerAction<T> {
  private pending: ScheduledEvent | undefined;
  private state: T | undefined;

  constructor(
    private readonly queue: EventQueue,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
    this.add(() => this.clear());
  }

  schedule(state?: T, delayMs = 0): Subscription {
    if (this.closed) return this;
    if (!(delayMs >= 0)) checkNonNegative('RxJS scheduler schedule', 'delay', delayMs);
    this.state = state;
    // rescheduling from inside `work` (interval, recursive timer) replaces the pending run
    this.clear();
    this.pending = this.queue.schedule(delayMs, runAction, this as QueueAction<any>);
    return this;
  }

  /** @internal */
  run(): void {
    this.pending = undefined;
    if (this.closed) return;
    try {
      this.work.call(this, this.state);
    } catch (err) {
      this.unsubscribe();
      throw err;
    }
    // An action that did not reschedule itself is finished.
    if (this.pending === undefined) this.unsubscribe();
  }

  private clear(): void {
    if (this.pending !== undefined) {
      this.queue.cancel(this.pending);
      this.pending = undefined;
    }
  }
}

function runAction(action: QueueAction<unknown>): void {
  action.run();
}

export function createRxScheduler(queue: EventQueue): SchedulerLike {
  return {
    now: () => queue.now,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delayMs = 0, state?: T): Subscription {
      return new QueueAction<T>(queue, work).schedule(state, delayMs);
    },
  };
}
