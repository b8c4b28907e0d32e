/**
 * @stampede/kernel — a deterministic simulation engine for xstate actors
 * exchanging RxJS-observable messages on one virtual clock.
 *
 * Start with `createSimulation({ seed })`, `sim.spawn(machine, { id })`,
 * `send(...)`/`portOf(self)` inside machines, and `sim.runFor(ms)`.
 */
export { createSimulation, portOf, type Simulation, type SimulationOptions } from './simulation.ts';
export { send } from './actions.ts';
export { ActorFailedError, stateValueString, type ActorPort, type SpawnOptions, type ActorHost } from './actor-host.ts';
export { EventQueue, type EventQueueOptions, type ScheduledEvent } from './event-queue.ts';
export { createXstateClock } from './xstate-clock.ts';
export { createRxScheduler } from './rx-scheduler.ts';
export { createRandom, hashString, RandomStream } from './random.ts';
export type { Network, NetworkOptions, NetworkCounts, Envelope, ActorSelector } from './network.ts';
export type { Metrics, MetricsOptions, Counter, Gauge, Histogram, Series } from './metrics.ts';
export type { Trace, TraceRecord, DropReason } from './trace.ts';
export type { Logger, LogLevel, LoggingOptions } from './logger.ts';
export { KernelInputError, LivelockError } from './errors.ts';
