/**
 * fast-check arbitraries for fault schedules: pod kills, delegate–router
 * partitions, latency spikes and load spikes injected around a topology's
 * rollouts. They shrink toward the simple: no faults at all, then fewer,
 * shorter and milder ones, closer to the trigger.
 */

import { StampedeInputError } from '@stampede/kernel';
import type { PlatformParams, TimelineEvent } from '@stampede/model';
import fc from 'fast-check';

/** A fault is a timeline event of one of the injectable kinds. */
export type Fault = Extract<TimelineEvent, { kind: 'kill-pod' | 'partition' | 'latency-spike' | 'load-spike' }>;

/** A fault before it is labelled (Omit distributed over the union, so each kind keeps its own fields). */
type UnlabelledFault = Fault extends infer F ? (F extends Fault ? Omit<F, 'label'> : never) : never;

export interface FaultScheduleOptions {
  /** at most this many faults. @defaultValue 3 */
  maxFaults?: number;
  /** faults start within this long after the topology's first timeline event (or after 10 min without one). @defaultValue 20 min */
  windowMs?: number;
}

const SEC = 1000;
const MIN = 60 * SEC;

/** When the faults may start: the first timeline event, or 10 min in (the oracle needs 5 min of baseline). */
function faultOriginMs(topology: PlatformParams): number {
  return topology.timeline.length > 0 ? Math.min(...topology.timeline.map((e) => e.atMs)) : 10 * MIN;
}

/** One fault at `atMs`: the kind shrinks toward a single pod kill, the magnitudes toward mild. */
function fault(topology: PlatformParams, atMs: fc.Arbitrary<number>): fc.Arbitrary<Fault> {
  const duration = fc.integer({ min: 1, max: 30 }).map((n) => n * 10 * SEC); // 10 s … 5 min
  const kill = fc.record({
    atMs,
    kind: fc.constant('kill-pod' as const),
    target: fc.constantFrom('manager' as const, 'router' as const),
    count: fc.integer({ min: 1, max: Math.max(1, Math.min(topology.router.replicas, topology.manager.replicas)) }),
  });
  const partition = fc.record({ atMs, kind: fc.constant('partition' as const), durationMs: duration });
  const latency = fc.record({
    atMs,
    kind: fc.constant('latency-spike' as const),
    extraLatencyMs: fc.integer({ min: 50, max: 5000 }),
    durationMs: duration,
  });
  const load = fc.record({
    atMs,
    kind: fc.constant('load-spike' as const),
    factor: fc.integer({ min: 15, max: 50 }).map((x) => x / 10), // 1.5× … 5×
    durationMs: duration,
  });
  // withCrossShrink: a failing fault of any kind also tries the first kind (a pod kill) while shrinking
  return fc
    .oneof({ withCrossShrink: true }, kill, partition, latency, load)
    .map((f): Fault => ({ ...f, label: `injected ${describeFault(f)}` }) as Fault);
}

/**
 * Fault schedules for a topology: 0 to `maxFaults` faults, each starting on a
 * whole 10 s within `windowMs` of the topology's first timeline event.
 */
export function faultSchedule(topology: PlatformParams, options: FaultScheduleOptions = {}): fc.Arbitrary<Fault[]> {
  const maxFaults = options.maxFaults ?? 3;
  const windowMs = options.windowMs ?? 20 * MIN;
  if (!Number.isSafeInteger(maxFaults) || maxFaults < 0)
    throw new StampedeInputError(`faultSchedule: maxFaults must be a whole number ≥ 0, got ${maxFaults}`);
  if (!(windowMs >= 10 * SEC)) throw new StampedeInputError(`faultSchedule: windowMs must be at least 10000 (10 s), got ${windowMs}`);
  const origin = faultOriginMs(topology);
  const atMs = fc.integer({ min: 0, max: Math.floor(windowMs / (10 * SEC)) }).map((n) => origin + n * 10 * SEC);
  return fc.array(fault(topology, atMs), { maxLength: maxFaults }).map((faults) => [...faults].sort((a, b) => a.atMs - b.atMs));
}

/** The topology with the faults added to its timeline (in time order); the run is extended to 30 min past the last one. */
export function applyFaults(topology: PlatformParams, faults: readonly Fault[]): PlatformParams {
  if (faults.length === 0) return topology;
  const p = structuredClone(topology);
  p.timeline = [...p.timeline, ...faults.map((f) => ({ ...f }))].sort((a, b) => a.atMs - b.atMs);
  const end = Math.max(...faults.map((f) => f.atMs + ('durationMs' in f ? f.durationMs : 0)));
  if (end + 30 * MIN > p.durationMs) p.durationMs = end + 30 * MIN;
  return p;
}

/** One fault in words, e.g. "partition of delegates from routers for 40 s at 12.5 min". */
export function describeFault(f: UnlabelledFault): string {
  const at = `at ${(f.atMs / MIN).toFixed(1).replace(/\.0$/, '')} min`;
  const dur = (ms: number) => (ms % MIN === 0 ? `${ms / MIN} min` : `${ms / SEC} s`);
  switch (f.kind) {
    case 'kill-pod':
      return `kill ${f.count} ${f.target} pod${f.count === 1 ? '' : 's'} ${at}`;
    case 'partition':
      return `partition of delegates from routers for ${dur(f.durationMs)} ${at}`;
    case 'latency-spike':
      return `+${f.extraLatencyMs} ms network latency for ${dur(f.durationMs)} ${at}`;
    case 'load-spike':
      return `${f.factor}× workload for ${dur(f.durationMs)} ${at}`;
  }
}

/** A schedule in words: "no faults" or the faults joined by "; ". */
export function describeFaults(faults: readonly Fault[]): string {
  return faults.length === 0 ? 'no faults' : faults.map(describeFault).join('; ');
}
