/**
 * The machine-readable summary of a run: what `run --json` prints and what
 * `--out` writes to summary.json. Times are in seconds of virtual time;
 * absent values are null, so every key is always there.
 *
 * Two answers, two keys: `verdict` is the oracle's (the scenario judged
 * without its manual rollbacks: does it come back by itself?); `recovered`
 * and the other top-level keys are the run as written, manual rollbacks
 * included.
 */
import type { EngineName } from '@stampede/kernel';
import type { PlatformParams, RunSummary, TimelineEvent } from '@stampede/model';
import { replayCommand } from '@stampede/report';
import { type RunVerdict, type VerdictJson, verdictJson } from './verdict.ts';

export interface SummaryJson {
  file: string;
  name: string;
  seed: number;
  /** what ran the actors' machines: 'compiled' or 'xstate' (the reference), as the simulation reports it */
  engine: EngineName;
  /** the oracle's verdict, judged without the manual rollbacks (does it come back by itself?); null when it cannot judge */
  verdict: VerdictJson | null;
  /** why there is no verdict (e.g. no trigger to judge); null when there is one */
  verdictUnavailable: string | null;
  traceHash: string;
  /** simulation events processed */
  events: number;
  delegates: number;
  durationSec: number;
  triggerAtSec: number | null;
  /** whether there was a storm: connected below STORM_CONNECTED_FRACTION_BELOW (90%) after the trigger */
  storm: boolean;
  /** null: no storm */
  stormStartSec: number | null;
  /** first sample after the trigger below the recovered fraction (a storm or a rollout's dip) */
  belowRecoveredFromSec: number | null;
  firstRecoveredAtSec: number | null;
  recoveredAtSec: number | null;
  /** the run as written (manual rollbacks included) is at the recovered fraction at its end: not the verdict */
  recovered: boolean;
  /** from the storm's start to recoveredAtSec; null without a storm or without recovery */
  timeToRecoverFromStormSec: number | null;
  /** from the trigger to recoveredAtSec (includes the rollout; 0 when never below the recovered fraction) */
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

/** `engine`: the engine the run ran on (the simulation's `sim.engine`); `verdict`: the oracle's (verdictFor), or why there is none. */
export function summaryJson(file: string, params: PlatformParams, s: RunSummary, engine: EngineName, verdict: RunVerdict): SummaryJson {
  return {
    file,
    name: s.name,
    seed: s.seed,
    engine,
    verdict: 'unavailable' in verdict ? null : verdictJson(verdict, params),
    verdictUnavailable: 'unavailable' in verdict ? verdict.unavailable : null,
    traceHash: s.traceHash,
    events: s.events,
    delegates: s.delegates,
    durationSec: s.durationMs / 1000,
    triggerAtSec: sec(s.triggerAtMs),
    storm: s.storm,
    stormStartSec: sec(s.stormStartMs),
    belowRecoveredFromSec: sec(s.belowRecoveredFromMs),
    firstRecoveredAtSec: sec(s.firstRecoveredAtMs),
    recoveredAtSec: sec(s.recoveredAtMs),
    recovered: s.recovered,
    timeToRecoverFromStormSec: s.timeToRecoverFromStormSec ?? null,
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
