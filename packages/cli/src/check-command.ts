/**
 * `stampede check FILE`: the property "no rollout policy causes a
 * self-sustaining failure loop" over generated cases (rollout policy,
 * optionally injected faults, simulation seed) for one topology.
 *
 * fast-check decides which cases and in what order; the judging runs on
 * worker threads:
 * 1. the N cases fast-check would try (same seed, same order) are listed by
 *    a dry run of the generator, and judged K at a time until the first
 *    failure in fast-check's order is certain;
 * 2. only then does fast-check itself run the property: the cases already
 *    judged come from a memo, and it shrinks the first failure, judging each
 *    candidate on a worker thread;
 * so the counterexample, its path and the replay command are exactly those of
 * a plain `fc.check(property, { seed, numRuns })`, for any number of workers.
 *
 * Shrinking has a budget (`--max-shrink`): at most that many candidates are
 * judged, then a plugin interrupts fast-check, which reports the smallest
 * failure found so far with its path; the replay command names that case.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  applyCase,
  type CaseVerdict,
  type CaseVerdictRecord,
  CHECK_SHARD_FORMAT,
  CHECK_SHARD_FORMAT_VERSION,
  type CheckDefinition,
  type CheckShard,
  checkShardFileName,
  createJudgePool,
  describeCase,
  parseShard,
  type RolloutCase,
  rolloutCase,
  runBounded,
  SelfSustainingLoopError,
  type ShardSpec,
  shardCaseIndices,
  type VerdictKind,
} from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { type PlatformParams, runPlatform } from '@stampede/model';
import { colorsFor, safeText, shellArg } from '@stampede/report';
import fc from 'fast-check';
import writeFileAtomic from 'write-file-atomic';
import { checkEngine, DEFAULT_ENGINE, engineArg } from './args.ts';
import { type CheckProgress, checkProgress, progressIntervalMs } from './check-progress.ts';
import { EXIT_OK, EXIT_PROPERTY_FAILED, UsageError } from './errors.ts';
import { noteKept } from './interrupt.ts';
import { checkOutDir } from './output-path.ts';
import { PACKAGE_VERSION } from './package-files.ts';
import { type CheckReportInput, checkReportHtml, checkReportPath, verdictFor, writeReport } from './report/index.ts';
import { type Io, RECOVERED_FRACTION } from './run-command.ts';
import { prepareOutDir } from './series-export.ts';
import { shardFromEnvironment, shardSource } from './shard-env.ts';
import { asUsage } from './sweep-command.ts';
import { loadTopology } from './topology.ts';
import { formatVerdict, timelineAsJudged } from './verdict.ts';

export const DEFAULT_RUNS = 100;
/** shrink candidates judged at most, by default: each is a full simulation and judgement */
export const DEFAULT_MAX_SHRINK = 50;

export interface CheckOptions {
  runs: number;
  /** fast-check's seed: which cases are generated */
  seed: number;
  workers?: number | undefined;
  faults?: boolean | undefined;
  /** a counterexample path printed by an earlier check: judge only that case */
  replay?: string | undefined;
  /** what runs the actors' machines in the oracle's runs: 'compiled' (fast) or 'xstate' (the reference). @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  json?: boolean | undefined;
  /** also write a self-contained HTML page: what was checked, the tally, the counterexample's full run report */
  report?: string | undefined;
  /** shrink candidates judged at most (0: report the first failure unshrunk). @defaultValue {@link DEFAULT_MAX_SHRINK} */
  maxShrink?: number | undefined;
  /** `I/N`: judge only shard I of N and write a shard file for `stampede merge` (also from the environment: shard-env.ts) */
  shard?: string | undefined;
  /** where a shard file goes. @defaultValue check-<topology name> */
  out?: string | undefined;
}

/** How the shrinking of a failure went. */
export interface ShrinkReport {
  /** shrink candidates judged (each a full simulation and judgement, in fast-check's order) */
  steps: number;
  /** --max-shrink */
  budget: number;
  /** the budget ran out while fast-check still had candidates to try: the case may shrink further */
  exhausted: boolean;
  /** candidates that still failed, each one smaller than the one before: the shrunk case is the last of them */
  smaller: number;
}

export interface CheckOutcome {
  file: string;
  topology: string;
  seed: number;
  /** what ran the actors' machines in every judgement */
  engine: EngineName;
  runs: number;
  faults: boolean;
  /** cases judged in fast-check's order: the generated ones up to the first failure (or all; their verdicts are `counts`), plus the shrink candidates (`shrink.steps`); the same for any number of threads */
  judged: number;
  /** generated cases judged up to the first failure (or all of them): what `counts` tallies */
  generatedJudged: number;
  /**
   * cases after the first failure that other worker threads were already judging (the progress line counted them);
   * not in `counts`: fast-check stops at the first failure, and so does the outcome. Depends on the threads.
   */
  judgedPastFailure: number;
  /** the counterexample path this check replayed (--replay), if any */
  replayed: string | undefined;
  /** verdicts of the generated cases judged before the first failure (or all of them) */
  counts: Record<VerdictKind, number>;
  /** the shrinking of the failure, when a generated case failed (absent when the property holds or for --replay) */
  shrink?: ShrinkReport | undefined;
  holds: boolean;
  counterexample:
    | {
        rolloutCase: RolloutCase;
        description: string;
        verdict: CaseVerdict;
        /** fast-check's path to the shrunk case */
        path: string;
        /** generated cases tried before the first failure, that one included */
        failedAfterRuns: number;
        /** smaller failing cases found while shrinking (the depth of the path below the run's index) */
        shrinks: number;
        replay: string;
      }
    | undefined;
}

/** The topology must have something to roll out, after 5 minutes of steady state (the oracle's baseline). */
function checkTopologyIsCheckable(file: string, topology: PlatformParams): void {
  const rollouts = topology.timeline.filter((e) => e.kind === 'rollout');
  if (rollouts.length === 0)
    throw new UsageError(
      `topology '${file}' has no rollout in its timeline, so there is no rollout policy to check; add one, e.g. "timeline: [{ at: 10m, rollout: manager }]"`,
    );
  const first = Math.min(...topology.timeline.map((e) => e.atMs));
  if (first < 5 * 60_000)
    throw new UsageError(
      `topology '${file}' starts its timeline at ${first / 1000} s; the oracle needs 5 min of steady state before the first event to measure the baseline: move it to 5m or later`,
    );
}

interface CheckRun {
  seed: number;
  runs: number;
  faults: boolean;
  /** absent: the default engine (no --engine in the command) */
  engine?: EngineName | undefined;
  /** absent or the default: no --max-shrink in the command (it decides how far a failure shrinks, not which cases) */
  maxShrink?: number | undefined;
}

/** The command that reruns this check: what decides its cases (file, seed, runs, faults) and the engine when not the default. */
export function checkCommandLine(file: string, opts: CheckRun): string {
  const shrink = opts.maxShrink === undefined || opts.maxShrink === DEFAULT_MAX_SHRINK ? '' : ` --max-shrink ${opts.maxShrink}`;
  return `stampede check ${shellArg(file)} --seed ${opts.seed} --runs ${opts.runs}${opts.faults ? ' --faults' : ''}${engineArg(opts.engine)}${shrink}`;
}

/** The command that judges exactly the case at `path` (no shrinking, so no --max-shrink). */
export function replayCheckCommand(file: string, opts: CheckRun, path: string): string {
  return `${checkCommandLine(file, { ...opts, maxShrink: undefined })} --replay ${path}`;
}

const PATH_RE = /^\d+(:\d+)*$/;

/** The cases fast-check tries for this seed and run count, in its order: the generator alone, no judging. */
export function listCases(arbitrary: fc.Arbitrary<RolloutCase>, seed: number, runs: number): RolloutCase[] {
  const cases: RolloutCase[] = [];
  fc.check(
    fc.property(arbitrary, (c) => {
      cases.push(c);
    }),
    { seed, numRuns: runs },
  );
  return cases;
}

/** What makes two runs the same check (all shards of one check agree on it): the file's bytes and every setting that decides a verdict. */
export function checkFingerprint(
  topologyText: string,
  d: { seed: number; runs: number; faults: boolean; engine: EngineName; maxShrink: number },
): string {
  const what = JSON.stringify({
    stampede: PACKAGE_VERSION,
    topologyText,
    seed: d.seed,
    runs: d.runs,
    faults: d.faults,
    engine: d.engine,
    maxShrink: d.maxShrink,
  });
  return `sha256:${createHash('sha256').update(what).digest('hex')}`;
}

/** A worker thread's verdict as a shard file records it. */
const toRecord = (index: number, v: CaseVerdict): CaseVerdictRecord => ({
  index,
  verdict: v.verdict,
  engine: v.engine,
  evidence: v.evidence,
  timeToRecoverSec: v.timeToRecoverSec ?? null,
  dominantLoop: v.dominantLoop,
  traceHash: v.traceHash,
});

/** A shard file's verdict as the worker threads give it (to seed the memo of a merge). */
export const fromRecord = (r: CaseVerdictRecord): CaseVerdict => ({
  verdict: r.verdict,
  engine: r.engine,
  evidence: r.evidence,
  timeToRecoverSec: r.timeToRecoverSec ?? undefined,
  dominantLoop: r.dominantLoop,
  traceHash: r.traceHash,
});

/** What the last phase of a check needs: the check as run, and how to judge a case. */
export interface CheckConclusion {
  file: string;
  topology: PlatformParams;
  seed: number;
  runs: number;
  faults: boolean;
  engine: EngineName;
  maxShrink: number;
  arbitrary: fc.Arbitrary<RolloutCase>;
  cases: readonly RolloutCase[];
  /** the verdicts of the generated cases by index: every one up to the first failure (or all) */
  verdicts: readonly (CaseVerdict | undefined)[];
  /** the first metastable case in fast-check's order (Infinity: none) */
  firstFailure: number;
  /** cases past the first failure that other threads judged anyway */
  judgedPastFailure: number;
  judgeCase: (c: RolloutCase) => Promise<CaseVerdict>;
  progress: CheckProgress;
  replay?: string | undefined;
}

/**
 * The outcome, once the first failure (if any) is known: the tally up to it, and fast-check's own run of the
 * property, whose first runs come from the memo and whose shrink candidates are judged, at most `maxShrink` of them.
 */
export async function concludeCheck(k: CheckConclusion): Promise<CheckOutcome> {
  const { firstFailure, verdicts, judgeCase, progress, topology, file } = k;
  const counts: Record<VerdictKind, number> = { recovered: 0, slow: 0, metastable: 0, overloaded: 0 };
  const reached = Math.min(k.cases.length, firstFailure + 1);
  for (const v of verdicts.slice(0, reached)) counts[v!.verdict]++;
  const again = { seed: k.seed, runs: k.runs, faults: k.faults, engine: k.engine };
  let counterexample: CheckOutcome['counterexample'];
  let shrink: ShrinkReport | undefined;
  if (Number.isFinite(firstFailure)) {
    if (k.replay !== undefined) {
      const c = k.cases[0]!;
      counterexample = {
        rolloutCase: c,
        description: describeCase(c, topology),
        verdict: verdicts[0]!,
        path: k.replay,
        failedAfterRuns: 1,
        shrinks: 0,
        replay: replayCheckCommand(file, again, k.replay),
      };
    } else {
      const maxShrink = k.maxShrink;
      progress.shrinking(maxShrink);
      // the first firstFailure + 1 runs replay phase 1 from the memo; the rest are shrink candidates
      const replayed = firstFailure + 1;
      let calls = 0;
      let steps = 0;
      let exhausted = false;
      // fast-check's own way to stop: a run answering "interrupt" ends the check, and fast-check reports
      // the last failure it found (the smallest so far) with its path
      const budget: fc.Plugin<[RolloutCase]> = () => ({
        decorateRun: (nestedRun) => (value) => {
          if (++calls <= replayed) return nestedRun(value);
          if (steps >= maxShrink) {
            exhausted = true;
            return new fc.PreconditionFailure(true);
          }
          steps++;
          return nestedRun(value);
        },
      });
      let poolError: unknown;
      const property = fc.asyncProperty(k.arbitrary, async (c) => {
        let v: CaseVerdict;
        try {
          v = await judgeCase(c);
        } catch (err) {
          poolError ??= err; // a broken worker is not a counterexample: stop and report it below
          throw err;
        }
        if (calls > replayed) progress.shrinkStep(v.verdict === 'metastable');
        if (v.verdict === 'metastable') throw new SelfSustainingLoopError(c, { seed: c.seed, evidence: v.evidence }, topology);
      });
      const run = await fc.check(property, { seed: k.seed, numRuns: k.runs, plugins: [budget] });
      if (poolError !== undefined) throw poolError;
      if (!run.failed || run.counterexample === null)
        throw new Error(`fast-check did not reproduce the failure of case ${firstFailure + 1} (internal error: generation differs)`);
      const [c] = run.counterexample;
      const path = run.counterexamplePath!;
      shrink = { steps, budget: maxShrink, exhausted, smaller: run.numShrinks };
      counterexample = {
        rolloutCase: c,
        description: describeCase(c, topology),
        verdict: await judgeCase(c),
        path,
        failedAfterRuns: firstFailure + 1,
        shrinks: run.numShrinks,
        replay: replayCheckCommand(file, again, path),
      };
    }
  }
  return {
    file,
    topology: topology.name,
    seed: k.seed,
    engine: k.engine,
    runs: k.runs,
    faults: k.faults,
    judged: reached + (shrink?.steps ?? 0),
    generatedJudged: reached,
    judgedPastFailure: k.judgedPastFailure,
    replayed: k.replay,
    counts,
    shrink,
    holds: counterexample === undefined,
    counterexample,
  };
}

/** Prints (or writes as JSON) the outcome and the report; the exit code: 0 holds, 3 a counterexample. */
export async function writeCheckOutcome(
  outcome: CheckOutcome,
  topology: PlatformParams,
  opts: { json?: boolean | undefined; report?: string | undefined },
  io: Io,
): Promise<number> {
  const colors = colorsFor(io.stdout);
  if (opts.json) io.stdout.write(`${JSON.stringify(outcome)}\n`);
  else io.stdout.write(`${['', ...formatCheckOutcome(outcome, topology, colors)].join('\n')}\n`);
  if (opts.report !== undefined) {
    await writeReport(opts.report, checkReportHtml(checkReportInput(outcome, topology)));
    // under --json stdout holds the one JSON object only
    (opts.json ? io.stderr : io.stdout).write(`wrote ${opts.report}\n`);
  }
  return outcome.holds ? EXIT_OK : EXIT_PROPERTY_FAILED;
}

/** `check-<topology name>` in the current directory: where shard files go by default. */
export function defaultCheckDir(name: string): string {
  return `check-${name.replace(/[^\w.-]+/g, '-')}`;
}

export async function checkCommand(file: string, opts: CheckOptions, io: Io): Promise<number> {
  const topology = loadTopology(file);
  checkTopologyIsCheckable(file, topology);
  // a replay judges one case: a shard from the environment (a CI job's STAMPEDE_SHARD) does not apply to it
  const shardText = opts.replay !== undefined && opts.shard === undefined ? undefined : shardFromEnvironment(opts.shard, process.env);
  const shard: ShardSpec | undefined = shardText === undefined ? undefined : asUsage(() => parseShard(shardText));
  if (opts.replay !== undefined && !PATH_RE.test(opts.replay))
    throw new UsageError(`--replay expects a counterexample path as printed by a failed check, e.g. --replay 0:1:3, got '${opts.replay}'`);
  if (shard !== undefined && opts.replay !== undefined) throw new UsageError('--replay judges one case: it takes no --shard');
  if (shard !== undefined && opts.report !== undefined)
    throw new UsageError(
      `--report needs the whole check and a shard holds part of it (${shardSource(opts.shard, process.env)} makes this a shard): pass --report to stampede merge instead`,
    );
  if (opts.report !== undefined) checkReportPath(opts.report);
  const maxShrink = opts.maxShrink ?? DEFAULT_MAX_SHRINK;
  if (!Number.isSafeInteger(maxShrink) || maxShrink < 0)
    throw new UsageError(`--max-shrink expects a whole number of shrink candidates, 0 or more, e.g. --max-shrink 50, got '${maxShrink}'`);
  const indicesOfShard = shard === undefined ? undefined : asUsage(() => shardCaseIndices(opts.runs, shard));
  const out = shard === undefined ? undefined : (opts.out ?? defaultCheckDir(topology.name));
  if (out !== undefined) {
    checkOutDir(out); // before mkdir: a recursive mkdir under /proc can spin
    prepareOutDir(out);
  }
  const intervalMs = progressIntervalMs(process.env.STAMPEDE_PROGRESS_SECONDS);
  const faults = opts.faults === true;
  const engine = opts.engine ?? DEFAULT_ENGINE;
  const arbitrary = rolloutCase(topology, { faults });
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  const chatty = opts.json !== true;
  // a bar on a terminal; elsewhere (a log, a pipe, --json) plain lines on stderr every few seconds
  const onTerminal = chatty && io.stdout.isTTY === true;
  const progress = checkProgress(io.stdout, onTerminal, { stream: io.stderr, intervalMs });

  // the cases fast-check will try, in its order: the generator alone, no judging
  let cases: RolloutCase[];
  if (opts.replay !== undefined) {
    cases = [];
    const record = fc.property(arbitrary, (c) => {
      cases.push(c);
    });
    let listed: { failed: boolean } = { failed: true };
    try {
      // a path is the run's index, then the shrink steps: the index must be one of this check's runs
      if (Number(opts.replay.split(':')[0]) < opts.runs)
        listed = fc.check(record, { seed: opts.seed, numRuns: opts.runs, path: opts.replay, endOnFailure: true });
    } catch {
      // fast-check: "Unable to replay, got wrong path" (a shrink step that does not exist)
    }
    if (listed.failed || cases.length === 0)
      throw new UsageError(
        `--replay ${opts.replay} names no case of this check: replay with the file, --seed, --runs and --faults of the check that printed the path`,
      );
    cases.splice(1);
  } else cases = listCases(arbitrary, opts.seed, opts.runs);
  const indices = indicesOfShard ?? cases.map((_, i) => i);

  const threads = Math.max(1, Math.min(opts.workers ?? availableParallelism(), availableParallelism(), indices.length));
  if (chatty)
    print([
      `${colors.bold('stampede check')} ${safeText(file)}: ${opts.replay !== undefined ? `replaying case ${opts.replay}` : `${opts.runs} generated cases`} ` +
        `(rollout policies${faults ? ', injected faults' : ''} and simulation seeds; fast-check seed ${opts.seed}) on ${topology.delegates.count} delegates, ` +
        `engine ${engine}, ${threads} worker thread${threads === 1 ? '' : 's'}`,
      ...(shard === undefined
        ? []
        : [
            `  shard ${shard.index}/${shard.count}: ${plural(indices.length, 'case')} of ${opts.runs} (index ≡ ${shard.index - 1} mod ${shard.count}), in order up to its first failure`,
          ]),
      'property: no case leaves the platform in a self-sustaining failure loop (oracle verdict metastable)',
    ]);

  const pool = createJudgePool(topology, threads, engine);
  // the verdicts and replay commands say which engine judged: make sure it is the one asked for
  const judgeCase = async (c: RolloutCase): Promise<CaseVerdict> => {
    const v = await pool.judge(c);
    checkEngine(engine, v.engine, 'a judgement of stampede check');
    return v;
  };
  let outcome: CheckOutcome;
  try {
    progress.start(indices.length);
    let firstFailure = Number.POSITIVE_INFINITY;
    const verdicts: (CaseVerdict | undefined)[] = [];
    const errors: (unknown | undefined)[] = [];
    await runBounded(indices, threads, async (i) => {
      if (i > firstFailure) return; // fast-check would stop at the first failure; later cases do not matter
      try {
        const v = await judgeCase(cases[i]!);
        verdicts[i] = v;
        if (v.verdict === 'metastable') firstFailure = Math.min(firstFailure, i);
        progress.judged(v.verdict);
      } catch (err) {
        errors[i] = err; // an error matters only if fast-check would have reached this case
      }
    });
    for (const i of indices) if (i <= firstFailure && errors[i] !== undefined) throw errors[i];

    if (shard !== undefined && out !== undefined) {
      const check: CheckDefinition = {
        file,
        topology: topology.name,
        fingerprint: checkFingerprint(readFileSync(file, 'utf8'), { seed: opts.seed, runs: opts.runs, faults, engine, maxShrink }),
        seed: opts.seed,
        runs: opts.runs,
        faults,
        engine,
        maxShrink,
      };
      const mine = indices.filter((i) => i <= firstFailure);
      const content: CheckShard = {
        format: CHECK_SHARD_FORMAT,
        version: CHECK_SHARD_FORMAT_VERSION,
        shard,
        check,
        verdicts: mine.map((i) => toRecord(i, verdicts[i]!)),
      };
      const path = join(out, checkShardFileName(shard));
      await writeFileAtomic(path, `${JSON.stringify(content, null, 2)}\n`);
      noteKept(path);
      progress.stop();
      if (opts.json) io.stdout.write(`${JSON.stringify(content)}\n`);
      else
        print([
          '',
          `shard ${shard.index}/${shard.count}: ${plural(mine.length, 'case')} judged${Number.isFinite(firstFailure) ? `, up to its first failure (case ${firstFailure + 1}, metastable)` : ', none metastable'}`,
          `wrote ${safeText(path)}; when all ${shard.count} shards are done: stampede merge ${safeText(join(out, `check-shard-*-of-${shard.count}.json`))}`,
        ]);
      return EXIT_OK;
    }

    outcome = await concludeCheck({
      file,
      topology,
      seed: opts.seed,
      runs: opts.runs,
      faults,
      engine,
      maxShrink,
      arbitrary,
      cases,
      verdicts,
      firstFailure,
      judgedPastFailure: verdicts.filter((v, i) => v !== undefined && i > firstFailure).length,
      judgeCase,
      progress,
      replay: opts.replay,
    });
  } finally {
    progress.stop();
    await pool.close();
  }

  progress.done(outcome.generatedJudged, outcome.shrink?.steps);
  return writeCheckOutcome(outcome, topology, opts, io);
}

/** The report's input: the outcome, and for a failure the run of the counterexample as written (re-run here, seconds). */
function checkReportInput(o: CheckOutcome, topology: PlatformParams): CheckReportInput {
  const command = checkCommandLine(o.file, { ...o, maxShrink: o.shrink?.budget });
  const base: CheckReportInput = {
    file: o.file,
    topologyName: o.topology,
    seed: o.seed,
    engine: o.engine,
    policiesChecked: o.generatedJudged,
    faults: o.faults,
    counts: o.counts,
    shrink: o.shrink,
    replayed: o.replayed,
    command,
  };
  const ce = o.counterexample;
  if (ce === undefined) return base;
  const params = applyCase(topology, ce.rolloutCase);
  const seed = ce.rolloutCase.seed;
  const result = runPlatform(params, { seed, engine: o.engine, recoveredFraction: RECOVERED_FRACTION });
  return {
    ...base,
    failure: {
      policyText: ce.description,
      evidence: ce.verdict.evidence,
      replay: ce.replay,
      run: {
        file: o.file,
        seed,
        engine: o.engine,
        params,
        result,
        recoveredFraction: RECOVERED_FRACTION,
        verdict: verdictFor(params, seed, o.engine),
        replay: ce.replay,
      },
    },
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the shrinking did, for the "fails" line: "; shrunk in 12 steps …" */
function shrinkText(shrink: ShrinkReport | undefined): string {
  if (shrink === undefined) return ':';
  const { steps, budget, exhausted, smaller } = shrink;
  if (exhausted && steps === 0) return `; not shrunk (--max-shrink ${budget}), so the case may shrink further:`;
  if (exhausted)
    return `; shrunk in ${plural(steps, 'step')}, stopped at --max-shrink ${budget} (${plural(smaller, 'smaller failing case')} found); the case may shrink further:`;
  if (steps === 0) return '; nothing smaller to try:';
  return `; shrunk in ${plural(steps, 'step')} (${plural(steps, 'shrink candidate')} judged, ${smaller} of them smaller and still failing) to:`;
}

export function formatCheckOutcome(o: CheckOutcome, topology: PlatformParams, colors: ReturnType<typeof colorsFor>): string[] {
  const tally = (Object.entries(o.counts) as [VerdictKind, number][])
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const again = checkCommandLine(o.file, { ...o, maxShrink: o.shrink?.budget });
  if (o.holds && o.replayed !== undefined)
    return [
      `${colors.green('holds')} for the replayed case ${o.replayed}: it is not metastable (${tally})`,
      `replay: ${again} --replay ${o.replayed}`,
    ];
  if (o.holds) {
    const what = `${plural(o.generatedJudged, 'generated rollout policy', 'generated rollout policies')}${o.faults ? ' with injected faults' : ''}`;
    const overloaded =
      o.counts.overloaded > 0 ? '; overloaded means unhealthy even from a quiet start, not a self-sustaining loop' : ' or overloaded';
    return [
      `${colors.green('holds')} for ${what} (fast-check seed ${o.seed}): none was metastable${overloaded} (${tally})`,
      `replay: ${again}`,
    ];
  }
  const ce = o.counterexample!;
  const applied = applyCase(topology, ce.rolloutCase);
  const shrink = o.shrink;
  return [
    `${colors.red('fails')}: ${o.replayed !== undefined ? `the replayed case ${o.replayed} is metastable` : `case ${ce.failedAfterRuns} of ${o.runs} is metastable`}` +
      shrinkText(shrink),
    `  ${safeText(ce.description)}`,
    `  timeline as judged (manual rollbacks left out: does it come back by itself?): ${timelineAsJudged(applied)}`,
    `verdict: ${formatVerdict(ce.verdict, colors)}`,
    ...(o.replayed === undefined
      ? [
          `judged ${plural(o.judged, 'case')}: ${o.generatedJudged} generated, up to the failure (${tally})` +
            (shrink === undefined || shrink.steps === 0
              ? ''
              : `, and ${plural(shrink.steps, 'shrink candidate')} (${shrink.smaller} of them still metastable)`) +
            (o.judgedPastFailure === 0
              ? ''
              : `; ${o.judgedPastFailure} more judged in parallel after the failure, not counted (fast-check stops at the first failure)`),
        ]
      : []),
    `replay exactly this case: ${ce.replay}`,
  ];
}
