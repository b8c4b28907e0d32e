/**
 * The machine-readable summary of a run: what `run --json` prints and what
 * `--out` writes to summary.json. Times are in seconds of virtual time;
 * absent values are null, so every key is always there.
 */
import type { EngineName } from '@stampede/kernel';
import type { PlatformParams, RunSummary, TimelineEvent } from '@stampede/model';
import { replayCommand } from './summary-format.ts';

export interface SummaryJson {
  file: string;
  name: string;
  seed: number;
  /** what ran the actors' machines: 'compiled' or 'xstate' (the reference), as the simulation reports it */
  engine: EngineName;
  traceHash: string;
  /** simulation events processed */
  events: number;
  delegates: number;
  durationSec: number;
  triggerAtSec: number | null;
  stormStartSec: number | null;
  firstRecoveredAtSec: number | null;
  recoveredAtSec: number | null;
  recovered: boolean;
  timeToRecoverSec: number | null;
  minConnectedFraction: number;
  blockedPipelines: number;
  failedSecretResolutions: number;
  apiErrors: number;
  tasksFailed: number;
  tasksExpired: number;
  conservationHeld: boolean;
  conservationViolations: string[];
  /** sockets routers still hold for delegates that closed them unseen */
  halfOpenSockets: number;
  timeline: TimelineEvent[];
  log: { atSec: number; message: string }[];
  replay: string;
}

const sec = (ms: number | undefined) => (ms === undefined ? null : ms / 1000);

/** `engine`: the engine the run ran on (the simulation's `sim.engine`). */
export function summaryJson(file: string, params: PlatformParams, s: RunSummary, engine: EngineName): SummaryJson {
  return {
    file,
    name: s.name,
    seed: s.seed,
    engine,
    traceHash: s.traceHash,
    events: s.events,
    delegates: s.delegates,
    durationSec: s.durationMs / 1000,
    triggerAtSec: sec(s.triggerAtMs),
    stormStartSec: sec(s.stormStartMs),
    firstRecoveredAtSec: sec(s.firstRecoveredAtMs),
    recoveredAtSec: sec(s.recoveredAtMs),
    recovered: s.recovered,
    timeToRecoverSec: s.timeToRecoverSec ?? null,
    minConnectedFraction: s.minConnectedFraction,
    ...s.impact,
    conservationHeld: s.conservation.held,
    conservationViolations: s.conservation.violations,
    halfOpenSockets: s.halfOpenSockets,
    timeline: [...params.timeline].sort((a, b) => a.atMs - b.atMs),
    log: s.log.map(([t, message]) => ({ atSec: t / 1000, message })),
    replay: replayCommand(file, s.seed, engine),
  };
}
