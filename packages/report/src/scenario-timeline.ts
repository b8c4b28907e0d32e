/**
 * A small, cheap-to-send picture of one run for the demo report: the lowest
 * connected fraction per 30 s of simulated time (dips show; 150 numbers for
 * 75 minutes) and the run's markers. Built in the demo's worker threads and
 * posted back with the scenario's outcome.
 */
import type { PlatformParams, RunResult } from '@stampede/model';
import { compact, type Marker } from './chart-spec.ts';
import { runMarkers } from './markers.ts';

export interface ScenarioTimeline {
  /** width of one step in simulated seconds */
  stepSec: number;
  /** lowest connected fraction (0–1) in each step: entry i covers (i·step, (i+1)·step]; null before the first sample */
  connectedLowest: (number | null)[];
  markers: Marker[];
}

export const SCENARIO_STEP_MS = 30_000;

/**
 * The lowest value per step of `[0, durationMs)`; a step without samples
 * repeats the previous one (null before the first sample).
 */
export function lowestPerStep(
  timesMs: ArrayLike<number>,
  values: ArrayLike<number>,
  durationMs: number,
  stepMs: number,
): (number | null)[] {
  const steps = Math.ceil(durationMs / stepMs);
  const out: (number | null)[] = new Array(steps).fill(null);
  for (let i = 0; i < timesMs.length; i++) {
    const k = Math.max(0, Math.ceil(timesMs[i]! / stepMs) - 1);
    if (k >= steps) continue;
    const v = values[i]!;
    const prev = out[k];
    if (prev === null || prev === undefined || v < prev) out[k] = v;
  }
  for (let k = 1; k < steps; k++) if (out[k] === null) out[k] = out[k - 1]!;
  return out;
}

export function scenarioTimeline(params: PlatformParams, result: RunResult, recoveredFraction: number): ScenarioTimeline {
  const { timesMs, values } = result.connected;
  return {
    stepSec: SCENARIO_STEP_MS / 1000,
    connectedLowest: lowestPerStep(timesMs, values, params.durationMs, SCENARIO_STEP_MS).map((v) => (v === null ? null : compact(v))),
    markers: runMarkers(params, result.summary, recoveredFraction),
  };
}
