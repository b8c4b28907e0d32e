/**
 * The reference engine: an actor run by xstate's own interpreter, as a child
 * of one root actor so that every hosted actor shares one xstate system (half
 * the memory of a system per actor, and faster at 10k+).
 *
 * Used for any logic the machine compiler does not take (see `whyNotCompiled`)
 * and for every actor when a simulation is created with `engine: 'xstate'`.
 */
import { type Actor, type AnyActorLogic, type AnyActorRef, createActor, createMachine } from 'xstate';
import type { Incarnation } from './incarnation.ts';
import { stateValueString } from './state-value.ts';

// The parent of every hosted actor. It accepts every event so that a child's
// error event (`xstate.error.actor.*`) does not make the root fail too (and
// xstate report it through a real `setTimeout`); the host surfaces child
// errors itself as ActorFailedError.
export const rootLogic = createMachine({ id: 'stampede-root', on: { '*': {} } });
export type RootActor = Actor<typeof rootLogic>;

export class XstateIncarnation implements Incarnation {
  readonly engine = 'xstate';
  private readonly actor: Actor<AnyActorLogic>;
  private lastSnapshot: unknown = undefined;
  private lastText = '';

  constructor(logic: AnyActorLogic, root: RootActor, id: string, input: unknown) {
    // xstate computes the initial state (context factory, initial delays) here, in the constructor
    this.actor = createActor(logic, { parent: root, id, input } as never) as Actor<AnyActorLogic>;
  }

  get ref(): AnyActorRef {
    return this.actor;
  }

  start(): void {
    this.actor.start();
  }

  send(event: { type: string }): void {
    this.actor.send(event);
  }

  halt(): void {
    // xstate forbids `stop()` on a child ("A non-root actor cannot be stopped
    // directly"); `_stop` is what its parent's `stopChild` calls. It also
    // cancels the actor's pending timers through our clock.
    (this.actor as unknown as { _stop(): void })._stop();
  }

  failure(): { error: unknown } | undefined {
    const snap = this.actor.getSnapshot() as { status: string; error?: unknown };
    return snap.status === 'error' ? { error: snap.error } : undefined;
  }

  valueTextHash(): number {
    return 0;
  }

  takeObserverError(): undefined {
    return undefined;
  }

  valueText(): string {
    const snap = this.actor.getSnapshot() as { value?: unknown };
    if (snap !== this.lastSnapshot) {
      this.lastSnapshot = snap;
      const value = snap.value;
      this.lastText = typeof value === 'string' ? value : stateValueString(value);
    }
    return this.lastText;
  }
}
