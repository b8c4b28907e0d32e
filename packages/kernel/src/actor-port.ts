/**
 * The port through which an actor acts on the world: send through the
 * network, read virtual time, draw from its own random stream, log, and
 * create or stop actors (a controller's pods). Actors
 * never reach around it to a timer, a clock or a random source, so ordering
 * and replay belong to the kernel alone.
 */
import type { AnyActorLogic } from 'xstate';
import type { EventQueue } from './event-queue.ts';
import { FORK_RESETS, forkBlank, forkSafe } from './fork-graph.ts';
import type { Logger } from './logger.ts';
import type { Network } from './network.ts';
import type { RandomStream } from './random.ts';

/** What an actor may do to the world: everything goes through the kernel. */
export interface ActorPort {
  readonly id: string;
  /** Current virtual time in ms. */
  readonly now: number;
  /** This actor's own random stream (forked from the seed by id and incarnation). */
  readonly random: RandomStream;
  /** A pino child logger bound to this actor's id. */
  readonly log: Logger;
  /**
   * Sends an event through the network. `latencyMs` overrides the sampled latency.
   * Generic so a message literal may carry any fields beside its type (no excess-property error).
   */
  send<E extends { type: string }>(to: string, event: E, options?: { latencyMs?: number }): void;
  /**
   * Creates an actor right after the current event, at the same instant (an actor created inside an action would run
   * its first transition nested in the caller's): what a controller does to start a pod.
   */
  spawn(logic: AnyActorLogic, options: { id: string; input?: unknown }): void;
  /** Stops an actor at once (its pending timers and messages are dropped): what a controller does to remove a pod. */
  stop(id: string): void;
}

/** @internal what a port needs from the simulation */
export interface PortWorld {
  readonly queue: EventQueue;
  readonly network: Network;
  /** the stream actors' streams are forked from */
  readonly random: RandomStream;
  readonly logger: Logger;
  spawn(logic: AnyActorLogic, options: { id: string; input?: unknown }): unknown;
  stop(id: string): void;
}

/** a spawn asked for by a port, run as its own event (data in the queue, so that a fork copies it) */
const spawnNow = forkSafe((a: { world: PortWorld; logic: AnyActorLogic; options: { id: string; input?: unknown } }): void => {
  a.world.spawn(a.logic, a.options);
});

/** @internal one port per actor incarnation; the random stream and the logger are made on first use */
export class PortImpl implements ActorPort {
  private rng: RandomStream | undefined;
  private logger: Logger | undefined;
  constructor(
    private readonly world: PortWorld,
    readonly id: string,
    private readonly incarnation: number,
    /** the trace hash of `id` (0: unknown) */
    private readonly idHash = 0,
  ) {}
  get now(): number {
    return this.world.queue.now;
  }
  get random(): RandomStream {
    return (this.rng ??= this.world.random.fork(`actor:${this.id}#${this.incarnation}`));
  }
  get log(): Logger {
    return (this.logger ??= this.world.logger.child({ actor: this.id }));
  }
  send<E extends { type: string }>(to: string, event: E, options?: { latencyMs?: number }): void {
    this.world.network.send(this.id, to, event, this.random, options?.latencyMs, this.idHash);
  }
  spawn(logic: AnyActorLogic, options: { id: string; input?: unknown }): void {
    this.world.queue.schedule(0, spawnNow, { world: this.world, logic, options });
  }
  stop(id: string): void {
    this.world.stop(id);
  }
}
// the child logger is made again on first use in a fork, from the fork's own logger
(PortImpl.prototype as unknown as Record<symbol, readonly string[]>)[FORK_RESETS] = ['logger'];
forkBlank(PortImpl, () => new PortImpl(undefined as never, '', 0));
