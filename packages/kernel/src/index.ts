/**
 * @stampede/kernel — a deterministic simulation engine for xstate actors
 * exchanging RxJS-observable messages on one virtual clock.
 *
 * Start with `createSimulation({ seed })`, `sim.spawn(machine, { id })`,
 * `send(...)`/`portOf(self)` inside machines, and `sim.runFor(ms)`.
 */

export { send } from './actions.ts';
export { ActorFailedError, type ActorPort, type Actors, type SpawnOptions, stateValueString } from './actor-host.ts';
export {
  type ChromeTraceEvent,
  type ChromeTraceOptions,
  type ChromeTraceRecorder,
  type ChromeTraceStats,
  DEFAULT_MAX_TRACE_EVENTS,
  recordChromeTrace,
} from './chrome-trace.ts';
export { KernelInputError, LivelockError, StampedeError, StampedeInputError, StampedeRunError } from './errors.ts';
export { EventQueue, type EventQueueOptions, type ScheduledEvent } from './event-queue.ts';
export {
  BLANK,
  bindForFork,
  FORK_RESETS,
  forkBlank,
  forkSafe,
  forkSimulation,
  NotForkableError,
  shareAcrossForks,
  whyNotForkable,
} from './fork.ts';
export type { EngineName } from './incarnation.ts';
export type { Logger, LoggingOptions, LogLevel } from './logger.ts';
export { whyNotCompiled } from './machine-compiler.ts';
export type { Counter, Gauge, Histogram, Metrics, MetricsOptions, Series } from './metrics.ts';
export type { ActorSelector, Envelope, Network, NetworkCounts, NetworkOptions } from './network.ts';
export { createRandom, hashString, RandomStream } from './random.ts';
export { createRxScheduler } from './rx-scheduler.ts';
export { createSimulation, portOf, type Simulation, type SimulationOptions } from './simulation.ts';
export type { DropReason, Trace, TraceRecord } from './trace.ts';
export { createXstateClock } from './xstate-clock.ts';
