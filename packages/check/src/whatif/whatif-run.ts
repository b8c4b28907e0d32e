/**
 * One branch of `stampede whatif`, done in this thread (a worker thread calls
 * it): the oracle's verdict on the branch (manual rollbacks of the file left
 * out, a tried rollback kept), and the branch run as written for what it cost
 * (impact) and its connected fraction (the chart).
 *
 * Every branch re-runs the prefix up to T: forking one run at T from a
 * snapshot needs every actor's state to be data the kernel owns, which the
 * platform actors do not yet allow (they reach the simulation through
 * PlatformState). The result is exact either way: a branch is the run from
 * scratch with the action in its timeline.
 */
import type { EngineName } from '@stampede/kernel';
import { type Impact, type PlatformParams, runPlatform } from '@stampede/model';
import { judge, type SustainingLoop, type VerdictKind } from '../oracle.ts';

export interface BranchJob {
  /** −1: the run as written (no action) */
  index: number;
  params: PlatformParams;
  /** what the oracle judges */
  judged: PlatformParams;
  /** the tried action's minute; undefined for the run as written */
  atMs: number | undefined;
  seed: number;
  engine: EngineName;
  /** also run the branch as written for its impact and chart (not needed while searching for the latest minute) */
  withRun: boolean;
}

export interface BranchResult {
  index: number;
  verdict: VerdictKind;
  dominantLoop: SustainingLoop;
  evidence: string;
  /** when the oracle saw recovery begin (held for its hold time); null when not recovered */
  recoveredAtMs: number | null;
  /** from the action to recovery; null when not recovered or without an action; 0 when recovered before it */
  afterActionSec: number | null;
  /** the oracle's run */
  judgedTraceHash: string;
  run:
    | {
        traceHash: string;
        impact: Impact;
        minConnectedFraction: number;
        /** the run's connected fraction, every sample */
        connected: { timesMs: number[]; values: number[] };
      }
    | undefined;
}

export function runBranch(job: BranchJob): BranchResult {
  const keepRollbacks = job.atMs !== undefined;
  const v = judge(job.judged, job.seed, { engine: job.engine, keepRollbacks });
  const recoveredAtMs = v.verdict === 'recovered' && v.recoveredAtMs !== undefined ? v.recoveredAtMs : null;
  const afterActionSec =
    recoveredAtMs === null || job.atMs === undefined ? null : Math.max(0, Math.round((recoveredAtMs - job.atMs) / 1000));
  let run: BranchResult['run'];
  if (job.withRun) {
    const r = runPlatform(job.params, { seed: job.seed, engine: job.engine });
    run = {
      traceHash: r.summary.traceHash,
      impact: r.summary.impact,
      minConnectedFraction: r.summary.minConnectedFraction,
      connected: { timesMs: [...r.connected.timesMs], values: [...r.connected.values] },
    };
  }
  return {
    index: job.index,
    verdict: v.verdict,
    dominantLoop: v.dominantLoop,
    evidence: v.evidence,
    recoveredAtMs,
    afterActionSec,
    judgedTraceHash: v.traceHash,
    run,
  };
}
