/**
 * xstate action creators that act through the kernel instead of directly.
 *
 * `send(to, event)` hands a message to the network (latency, faults, trace);
 * xstate's `sendTo` would deliver synchronously and nested, outside the
 * event queue, and so outside the determinism contract.
 */
import type { AnyActorRef, EventObject } from 'xstate';
import { portOf } from './simulation.ts';

type ActionArgs = { context: any; event: EventObject; self: AnyActorRef };
type Resolvable<T> = T | ((args: ActionArgs) => T);

const resolve = <T>(value: Resolvable<T>, args: ActionArgs): T =>
  typeof value === 'function' ? (value as (a: ActionArgs) => T)(args) : value;

/**
 * An action that sends `event` to actor `to` through the simulated network.
 *
 * ```ts
 * entry: send(({ context }) => context.peer, { type: 'PING' })
 * ```
 */
export function send<E extends { type: string }>(
  to: Resolvable<string>,
  event: Resolvable<E>,
  options?: { latencyMs?: number },
): (args: ActionArgs) => void {
  return (args) => portOf(args.self).send(resolve(to, args), resolve(event, args), options);
}
