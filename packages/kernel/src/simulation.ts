/**
 * A simulation: one event queue, one seed, and everything that runs on them.
 *
 * `createSimulation({ seed })` wires the queue, the random streams, the
 * network, the actor host, metrics, the trace and the logger together. The
 * same seed and the same calls give the same trace hash in any process.
 */
import type { SchedulerLike } from 'rxjs';
import type { AnyActorLogic, AnyActorRef } from 'xstate';
import { ActorHost, type ActorPort, type Actors, hostOfSystem, type SpawnOptions } from './actor-host.ts';
import { checkInteger, checkNonNegative, KernelInputError } from './errors.ts';
import { EventQueue } from './event-queue.ts';
import { bindForFork, FORK_RESETS, forkBlank } from './fork-graph.ts';
import type { EngineName } from './incarnation.ts';
import { createLogger, type Logger, type LoggingOptions } from './logger.ts';
import { Metrics, type MetricsOptions } from './metrics.ts';
import { Network, type NetworkOptions } from './network.ts';
import { createRandom, type RandomStream } from './random.ts';
import { createRxScheduler } from './rx-scheduler.ts';
import { Trace } from './trace.ts';
import type { Clock } from './xstate-clock.ts';
import { createXstateClock } from './xstate-clock.ts';

export interface SimulationOptions {
  /** The seed that decides every random draw: an integer 0..4294967295. Required. */
  seed: number;
  network?: NetworkOptions;
  metrics?: MetricsOptions;
  logging?: LoggingOptions;
  /** Keep every trace record in memory (`sim.trace.full`). @defaultValue false */
  keepFullTrace?: boolean;
  /** Events allowed at one virtual instant before a LivelockError. @defaultValue 1_000_000 */
  maxEventsPerInstant?: number;
  /**
   * What runs the actors' machines. `'compiled'`: each machine is compiled once into tables and
   * run with xstate's semantics, an order of magnitude faster, same trace hash (a machine the
   * compiler does not take runs on xstate: see `whyNotCompiled`). `'xstate'`: xstate's own
   * interpreter for every actor, the reference to confirm a result on.
   * @defaultValue 'compiled'
   */
  engine?: EngineName;
}

export interface Simulation {
  readonly seed: number;
  /** the engine that runs machines ('compiled' or 'xstate') */
  readonly engine: EngineName;
  /** Current virtual time in ms. */
  readonly now: number;
  readonly queue: EventQueue;
  /** The root random stream; fork it by name for your own components. */
  readonly random: RandomStream;
  readonly network: Network;
  readonly metrics: Metrics;
  readonly trace: Trace;
  readonly logger: Logger;
  /** RxJS scheduler on virtual time: pass it to `timer`, `delay`, `interval`. */
  readonly scheduler: SchedulerLike;
  /** An xstate `Clock` on virtual time, for actors you create outside `spawn`. */
  readonly clock: Clock;
  readonly actors: Actors;
  /** Spawns an xstate actor with a unique id into the simulation's shared system. */
  spawn: Actors['spawn'];
  /** Sends an event from outside (or on behalf of `from`) through the network. */
  send(from: string, to: string, event: { type: string }, options?: { latencyMs?: number }): void;
  /** Runs for `durationMs` of virtual time. Returns the number of events fired. */
  runFor(durationMs: number): number;
  /** Runs until virtual time `timeMs`. */
  runUntil(timeMs: number): number;
  /** Runs until no event is left (or `maxEvents`). */
  runUntilIdle(maxEvents?: number): number;
}

/**
 * The simulation: a class, not an object literal, so that a fork copies it as data (fork.ts). The RxJS scheduler and
 * the xstate clock are adapters over the queue, made on first use (a fork makes its own).
 */
class SimulationImpl implements Simulation {
  private schedulerCache: SchedulerLike | undefined = undefined;
  private clockCache: Clock | undefined = undefined;
  constructor(
    readonly seed: number,
    readonly engine: EngineName,
    readonly queue: EventQueue,
    readonly random: RandomStream,
    readonly network: Network,
    readonly metrics: Metrics,
    readonly trace: Trace,
    readonly logger: Logger,
    readonly actors: ActorHost,
  ) {}
  get now(): number {
    return this.queue.now;
  }
  get scheduler(): SchedulerLike {
    return (this.schedulerCache ??= createRxScheduler(this.queue));
  }
  get clock(): Clock {
    return (this.clockCache ??= createXstateClock(this.queue));
  }
  spawn<TLogic extends AnyActorLogic>(logic: TLogic, options: SpawnOptions<TLogic>) {
    return this.actors.spawn(logic, options);
  }
  send(from: string, to: string, event: { type: string }, options?: { latencyMs?: number }): void {
    if (!event || typeof event.type !== 'string') {
      throw new KernelInputError('send', 'event', event, 'an event object with a string `type`');
    }
    this.network.send(from, to, event, undefined, options?.latencyMs);
  }
  runFor(durationMs: number): number {
    checkNonNegative('runFor', 'durationMs', durationMs);
    return this.queue.runUntil(this.queue.now + durationMs);
  }
  runUntil(timeMs: number): number {
    return this.queue.runUntil(timeMs);
  }
  runUntilIdle(maxEvents?: number): number {
    return this.queue.runUntilIdle(maxEvents);
  }
}
(SimulationImpl.prototype as unknown as Record<symbol, readonly string[]>)[FORK_RESETS] = ['schedulerCache', 'clockCache'];
forkBlank(SimulationImpl, () => new SimulationImpl(0, 'compiled', ...([] as unknown as [never, never, never, never, never, never, never])));

/** @internal how a simulation's logger was made, so that a fork makes its own the same way */
export const loggingOf = new WeakMap<Simulation, LoggingOptions>();

export function createSimulation(options: SimulationOptions): Simulation {
  if (options === null || typeof options !== 'object') {
    throw new KernelInputError('createSimulation', 'options', options, 'an object such as { seed: 42 }');
  }
  const seed = checkInteger('createSimulation', 'options.seed', options.seed, 0);
  const engine = options.engine ?? 'compiled';
  if (engine !== 'compiled' && engine !== 'xstate') {
    throw new KernelInputError('createSimulation', 'options.engine', engine, "'compiled' or 'xstate'");
  }
  const queue = new EventQueue({ maxEventsPerInstant: options.maxEventsPerInstant });
  const random = createRandom(seed);
  const trace = new Trace(options.keepFullTrace ?? false);
  const logger = createLogger(() => queue.now, options.logging);
  const metrics = new Metrics(queue, options.metrics);
  // the network delivers straight to the host (no closure hop per message); the host is made next
  const target = { deliver: undefined as unknown as ActorHost['deliver'], dropped: undefined as unknown as ActorHost['dropped'] };
  const network = new Network(queue, random.fork('network'), target, options.network);
  const host = new ActorHost(queue, network, random.fork('actors'), trace, logger, engine);
  target.deliver = bindForFork(ActorHost.prototype.deliver, host);
  target.dropped = bindForFork(ActorHost.prototype.dropped, host);
  const sim = new SimulationImpl(seed, engine, queue, random, network, metrics, trace, logger, host);
  loggingOf.set(sim, options.logging ?? {});
  return sim;
}

/**
 * The kernel port of an actor spawned by a simulation: use it inside actions
 * to send, draw random numbers, read virtual time and log.
 *
 * ```ts
 * actions: ({ self, context }) => portOf(self).send(context.peer, { type: 'PING' })
 * ```
 */
export function portOf(self: AnyActorRef): ActorPort {
  // a compiled actor carries its port: no lookup on the hot path
  const port = (self as { _port?: ActorPort } | undefined)?._port;
  if (port !== undefined) return port;
  const host = hostOfSystem.get((self as { system?: object })?.system ?? {});
  if (host === undefined) {
    throw new KernelInputError('portOf', 'self', (self as { id?: string })?.id ?? self, 'an actor spawned with sim.spawn(...)');
  }
  return host.portOf(self);
}

/** Host side of `spawn` options, re-exported for typing helpers. */
export type { AnyActorLogic, SpawnOptions };
