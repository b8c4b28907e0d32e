/**
 * One run of one hosted actor, from its start until it is halted: what the
 * actor host needs from an engine. An engine interprets the actor's logic
 * (xstate's own interpreter, or a machine compiled to tables); the host does
 * the rest (routing, trace, lifecycle) the same way for both.
 */
import type { AnyActorRef } from 'xstate';

export type EngineName = 'compiled' | 'xstate';

export interface Incarnation {
  /** which engine runs it */
  readonly engine: EngineName;
  /** what users hold: `sim.actors.get(id)`, and `self` inside its actions */
  readonly ref: AnyActorRef;
  /** Enters the initial state (entry actions, first timers). */
  start(): void;
  /** Processes one event to completion. */
  send(event: { type: string }): void;
  /** Stops it for good: pending timers are cancelled, no exit actions run. */
  halt(): void;
  /** After a step: the error its logic threw (the run stops), or undefined. */
  failure(): { error: unknown } | undefined;
  /** After a step: its state value as one string (see stateValueString). */
  valueText(): string;
  /** hashString(valueText()) when the engine has it at hand (compiled leaves carry it), else 0. */
  valueTextHash(): number;
  /**
   * An error an observer threw during the last step, held so it cannot cut the step short; the host
   * throws it once the step is folded. (xstate reports such errors itself, later, on a real timer.)
   */
  takeObserverError(): { error: unknown } | undefined;
}
