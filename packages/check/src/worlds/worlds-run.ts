/**
 * Running a worlds file: the jobs (one run as written, or one oracle
 * judgement, of one topology in one world with one seed) and the two phases
 * that schedule them.
 *
 * 1. Calibration: every run an observation names, in every world of the
 *    selection, with every seed.
 * 2. The robust scoreboard: the incident and every action, judged in each
 *    world of the selection that calibration found consistent, with every seed
 *    (a judgement calibration already made is not made again).
 *
 * A world needs only its own runs, so a selection of worlds (a shard) can do
 * both phases alone; `assembleWorlds` puts the runs of all selections together.
 * How jobs run (worker threads, in this thread) is the caller's `execute`.
 */
import type { EngineName } from '@stampede/kernel';
import { type PlatformParams, runPlatform } from '@stampede/model';
import { judge } from '../oracle.ts';
import { type Calibration, calibrate, type JudgedRun, type ObservedRun } from './calibration.ts';
import { checkConnected, connectedObservations, runFacts } from './observation.ts';
import { type RobustScoreboard, robustScoreboard } from './robust-scoreboard.ts';
import { describeCriterion, specTopologies } from './worlds-file.ts';
import { describeWorld, type WorldsPlan } from './worlds-plan.ts';

export type WorldsJob =
  | {
      kind: 'observe';
      world: number;
      run: string;
      seed: number;
      engine: EngineName;
      params: PlatformParams;
      /** the connected-fraction observations of this run, by index into spec.observations */
      criteria: ReturnType<typeof connectedObservations>;
    }
  | { kind: 'judge'; world: number; run: string; seed: number; engine: EngineName; params: PlatformParams };

export type WorldsJobResult = { kind: 'observe'; run: ObservedRun } | { kind: 'judge'; run: JudgedRun };

/** Does one job in this thread (a worker thread calls this). */
export function runWorldsJob(job: WorldsJob): WorldsJobResult {
  if (job.kind === 'observe') {
    const r = runPlatform(job.params, { seed: job.seed, engine: job.engine });
    const facts = runFacts(job.params, r.connected, r.summary.stormStartMs);
    return {
      kind: 'observe',
      run: {
        world: job.world,
        run: job.run,
        seed: job.seed,
        results: job.criteria.map((c) => ({ index: c.index, result: checkConnected(c.criterion, facts) })),
      },
    };
  }
  const v = judge(job.params, job.seed, { engine: job.engine });
  return {
    kind: 'judge',
    run: {
      world: job.world,
      run: job.run,
      seed: job.seed,
      verdict: v.verdict,
      dominantLoop: v.dominantLoop,
      evidence: v.evidence,
      storm: v.storm,
      timeToRecoverFromStormSec: v.timeToRecoverFromStormSec ?? null,
      traceHash: v.traceHash,
    },
  };
}

/** The calibration jobs of the selected worlds. */
export function calibrationJobs(plan: WorldsPlan, worlds: readonly number[], engine: EngineName): WorldsJob[] {
  const { spec } = plan;
  const observed = [...new Set(spec.observations.filter((o) => o.criterion.kind === 'connected').map((o) => o.run))];
  const judged = [...new Set(spec.observations.filter((o) => o.criterion.kind === 'verdict').map((o) => o.run))];
  const jobs: WorldsJob[] = [];
  for (const w of worlds)
    for (const seed of spec.seeds) {
      for (const run of observed)
        jobs.push({
          kind: 'observe',
          world: w,
          run,
          seed,
          engine,
          params: plan.params[w]![run]!,
          criteria: connectedObservations(spec.observations, run),
        });
      for (const run of judged) jobs.push({ kind: 'judge', world: w, run, seed, engine, params: plan.params[w]![run]! });
    }
  return jobs;
}

/** The scoreboard jobs of the consistent worlds among `worlds`, leaving out judgements `done` already has. */
export function scoreboardJobs(plan: WorldsPlan, worlds: readonly number[], done: readonly JudgedRun[], engine: EngineName): WorldsJob[] {
  const { spec } = plan;
  const have = new Set(done.map((r) => `${r.world}/${r.run}/${r.seed}`));
  const jobs: WorldsJob[] = [];
  for (const w of worlds)
    for (const t of [spec.incident, ...spec.actions])
      for (const seed of spec.seeds)
        if (!have.has(`${w}/${t.name}/${seed}`))
          jobs.push({ kind: 'judge', world: w, run: t.name, seed, engine, params: plan.params[w]![t.name]! });
  return jobs;
}

export interface WorldsRuns {
  observed: ObservedRun[];
  judged: JudgedRun[];
}

export interface RunWorldsOptions {
  engine: EngineName;
  /** the worlds to run (a shard's); default every world */
  worlds?: readonly number[];
  /** does the jobs, in any order; resolves with their results in job order */
  execute: (jobs: readonly WorldsJob[], phase: 'calibration' | 'scoreboard') => Promise<WorldsJobResult[]>;
}

/** Runs both phases for the selected worlds and returns every run they made. */
export async function runWorlds(plan: WorldsPlan, options: RunWorldsOptions): Promise<WorldsRuns> {
  const selected = options.worlds ?? plan.worlds.map((w) => w.index);
  const runs: WorldsRuns = { observed: [], judged: [] };
  const keep = (results: readonly WorldsJobResult[]) => {
    for (const r of results) {
      if (r.kind === 'observe') runs.observed.push(r.run);
      else runs.judged.push(r.run);
    }
  };
  keep(await options.execute(calibrationJobs(plan, selected, options.engine), 'calibration'));
  const calibration = calibrate(
    plan.spec,
    selected.map((w) => plan.worlds[w]!),
    runs.observed,
    runs.judged,
  );
  keep(await options.execute(scoreboardJobs(plan, calibration.consistent, runs.judged, options.engine), 'scoreboard'));
  return runs;
}

export const WORLDS_FORMAT = 'stampede-worlds';
export const WORLDS_FORMAT_VERSION = 1;

/** Everything `demo --worlds` shows, and what `--json` prints. */
export interface WorldsResult {
  format: typeof WORLDS_FORMAT;
  version: typeof WORLDS_FORMAT_VERSION;
  name: string;
  description: string;
  source: string;
  seeds: number[];
  engine: EngineName;
  topologies: { name: string; file: string; role: 'incident' | 'reference' | 'action' }[];
  assumptions: { name: string; path: string; question: string; values: string[] }[];
  observations: { name: string; run: string; check: string }[];
  worlds: { id: string; description: string; choice: number[] }[];
  calibration: Calibration;
  scoreboard: RobustScoreboard;
}

/** Calibration and the robust scoreboard from the runs of every world (one run, or every shard's merged). */
export function assembleWorlds(plan: Pick<WorldsPlan, 'spec' | 'worlds'>, runs: WorldsRuns, engine: EngineName): WorldsResult {
  const { spec } = plan;
  const calibration = calibrate(spec, plan.worlds, runs.observed, runs.judged);
  const scoreboard = robustScoreboard(spec, plan.worlds, calibration, runs.judged);
  return {
    format: WORLDS_FORMAT,
    version: WORLDS_FORMAT_VERSION,
    name: spec.name,
    description: spec.description,
    source: spec.source,
    seeds: spec.seeds,
    engine,
    topologies: specTopologies(spec).map((t) => ({
      name: t.name,
      file: t.written,
      role: t === spec.incident ? 'incident' : spec.actions.includes(t) ? 'action' : 'reference',
    })),
    assumptions: spec.assumptions.map((a) => ({ name: a.name, path: a.path, question: a.question, values: a.labels })),
    observations: spec.observations.map((o) => ({ name: o.name, run: o.run, check: describeCriterion(o.criterion) })),
    worlds: plan.worlds.map((w) => ({ id: w.id, description: describeWorld(spec, w), choice: w.choice })),
    calibration,
    scoreboard,
  };
}

/** Runs in this thread, one after another: for tests and small files. */
export async function executeHere(jobs: readonly WorldsJob[]): Promise<WorldsJobResult[]> {
  return jobs.map(runWorldsJob);
}
