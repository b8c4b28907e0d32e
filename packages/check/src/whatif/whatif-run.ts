/**
 * One branch of `stampede whatif`, done in this thread (a worker thread calls
 * it): the oracle's verdict on the branch (manual rollbacks of the file left
 * out, a tried rollback kept), and the branch run as written for what it cost
 * (impact) and its connected fraction (the chart).
 *
 * A branch at T is forked from this thread's run of the topology up to T (its
 * trunk: trunks.ts), so the past is simulated once per thread, not once per
 * branch; where the trunk cannot be forked (machines on xstate) the branch
 * re-runs its prefix and says why. Either way the result is exact: a branch
 * is the run from scratch with the action in its timeline. The branch's run as
 * written goes on from its judged run when the file's own rollbacks come after
 * the judgement's end, and control runs that several branches share (the same
 * configuration left behind) are run once per thread.
 */
import type { EngineName } from '@stampede/kernel';
import { continueRun, forkPlatform, type Impact, type PlatformParams, type RunResult, runPlatform, whyNotBranch } from '@stampede/model';
import { ControlRuns } from '../control-runs.ts';
import { judge, judgePlatform, type SustainingLoop, type Verdict, type VerdictKind } from '../oracle.ts';
import { Trunks } from './trunks.ts';

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
  /** the run as written, which the branch's past is forked from; undefined: run the branch from scratch */
  trunk?: PlatformParams | undefined;
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
  /** why the branch re-ran its prefix instead of forking it (undefined: forked, or nothing to fork) */
  reranBecause: string | undefined;
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

/** this thread's trunks (the runs branches are forked from) and the oracle's control runs, kept across branches */
const threadTrunks = new Trunks();
const threadControls = new ControlRuns();

/**
 * Judges (and runs) one branch. `trunks`: where its past is forked from; `controls`: control runs to reuse (this
 * thread's own unless a caller keeps its own).
 */
export function runBranch(job: BranchJob, trunks: Trunks = threadTrunks, controls: ControlRuns = threadControls): BranchResult {
  const { seed, engine, atMs } = job;
  let reranBecause: string | undefined;
  // the oracle judges the run without the file's own rollbacks: that run is the judged branches' trunk; the run as
  // written (no action) is the trunk's own branch at minute 0
  const judgedTrunk =
    job.trunk === undefined ? undefined : { ...job.trunk, timeline: job.trunk.timeline.filter((e) => e.kind !== 'rollback') };
  const judged = atMs === undefined ? (judgedTrunk ?? job.judged) : job.judged;
  const judgedFork = judgedTrunk === undefined ? undefined : trunks.branch(judgedTrunk, judged, atMs ?? 0, seed, engine);
  let v: Verdict;
  if (judgedFork === undefined || typeof judgedFork === 'string') {
    reranBecause = judgedFork;
    v = judge(job.judged, seed, { engine, keepRollbacks: atMs !== undefined }, controls);
  } else v = judgePlatform(judgedFork, seed, {}, controls);
  const recoveredAtMs = v.verdict === 'recovered' && v.recoveredAtMs !== undefined ? v.recoveredAtMs : null;
  const afterActionSec = recoveredAtMs === null || atMs === undefined ? null : Math.max(0, Math.round((recoveredAtMs - atMs) / 1000));
  let run: BranchResult['run'];
  if (job.withRun) {
    let r: RunResult;
    if (judgedFork === undefined || typeof judgedFork === 'string') r = runPlatform(job.params, { seed, engine });
    else {
      // the run as written is the judged run plus the file's own rollbacks: when they all come after where the
      // judgement stopped (and it stopped before the run's end), it goes on from there, so the oracle's minutes are
      // not simulated twice; else from the trunk
      const fork =
        whyNotBranch(judgedFork, job.params) === undefined
          ? forkPlatform(judgedFork, job.params)
          : trunks.branch(job.trunk!, job.params, atMs ?? 0, seed, engine);
      r = typeof fork === 'string' ? runPlatform(job.params, { seed, engine }) : continueRun(fork, { seed });
    }
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
    reranBecause,
    run,
  };
}
