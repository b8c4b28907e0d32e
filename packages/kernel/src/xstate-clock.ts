/**
 * xstate's `Clock` on the kernel's event queue.
 *
 * xstate asks its clock for `after` transitions and delayed `raise`/`sendTo`.
 * Each timer becomes one queue event at its own exact virtual time, so a chain
 * of timers stays exact across any jump of the clock. (xstate's own
 * `SimulatedClock` fires every overdue timer at the new time instead, which
 * shifts chained timers: a 5 s timeout / 1 s backoff cycle ends in the wrong
 * state after `set(20000); set(23000)`.)
 */
import type { ActorOptions, AnyActorLogic } from 'xstate';

/** xstate's clock interface (not exported by name from 'xstate'). */
export type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

import { checkNonNegative } from './errors.ts';
import type { EventQueue, ScheduledEvent } from './event-queue.ts';

const call = (fn: () => void) => fn();

export function createXstateClock(queue: EventQueue): Clock {
  return {
    // property syntax, so no line reads like a call to the global timer
    setTimeout: (fn: (...args: any[]) => void, timeoutMs: number): ScheduledEvent => {
      // xstate passes the delay it computed from the machine (possibly from a
      // user function); reject NaN/negative here, naming the clock, not deep in the heap.
      if (!(timeoutMs >= 0)) checkNonNegative('xstate clock setTimeout', 'delay (from an `after` or delayed action)', timeoutMs);
      return queue.schedule(timeoutMs, call, fn as () => void);
    },
    clearTimeout: (handle: ScheduledEvent): void => {
      if (handle !== undefined) queue.cancel(handle);
    },
  };
}
