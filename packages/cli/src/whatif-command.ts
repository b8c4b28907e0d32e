/**
 * `stampede whatif FILE --at T --try ACTION [--try …]`: branch the run at
 * minute T, one branch per action, each judged by the oracle and run for its
 * impact, on worker threads; `--latest ACTION --within D` finds the latest
 * minute at which ACTION still brings the fleet back within D, by bisection.
 * Everything that can be wrong (the file, --at, every action) is checked
 * before the first branch runs.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  assembleWhatif,
  type BranchJob,
  type BranchResult,
  createThreadPool,
  latestMinute,
  planWhatif,
  runBounded,
  siblingModule,
  WhatifError,
  type WhatifResult,
} from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { parseDuration, readTopologyYaml, STORM_CONNECTED_FRACTION_BELOW, stormStartOf } from '@stampede/model';
import { branchVerdict, colorsFor, fmtDuration, formatWhatif, plural, safeText, whatifReportHtml } from '@stampede/report';
import { DEFAULT_ENGINE } from './args.ts';
import { progressIntervalMs } from './check-progress.ts';
import { UsageError } from './errors.ts';
import { setInterruptNote } from './interrupt.ts';
import { countProgress } from './progress.ts';
import { checkReportPath, writeReport } from './report/report-file.ts';
import type { Io } from './run-command.ts';
import { asUsage } from './sweep-command.ts';
import { loadTopology } from './topology.ts';

export interface WhatifOptions {
  at?: string | undefined;
  try?: string[] | undefined;
  latest?: string | undefined;
  within?: string | undefined;
  seed: number;
  workers?: number | undefined;
  engine?: EngineName | undefined;
  json?: boolean | undefined;
  report?: string | undefined;
}

/** Resolution of the --latest search: 30 s of simulated time. */
export const LATEST_RESOLUTION_MS = 30_000;

function duration(option: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new UsageError(
      `${option} ${JSON.stringify(text)}: not a duration; write one with its unit, e.g. ${option} 15m (${(err as Error).message})`,
    );
  }
}

export async function whatifCommand(file: string, opts: WhatifOptions, io: Io): Promise<number> {
  const engine = opts.engine ?? DEFAULT_ENGINE;
  const tries = opts.try ?? [];
  if (tries.length > 0 && opts.at === undefined)
    throw new UsageError('--try needs --at T: the minute every tried action is taken (e.g. --at 15m)');
  if (opts.at !== undefined && tries.length === 0)
    throw new UsageError("--at T needs one or more --try ACTION (e.g. --try '{rollback: router}')");
  if (tries.length === 0 && opts.latest === undefined)
    throw new UsageError(
      "nothing to do: give --at T --try ACTION (e.g. --at 15m --try '{rollback: router}'), or --latest ACTION --within D",
    );
  if ((opts.latest === undefined) !== (opts.within === undefined))
    throw new UsageError(
      '--latest ACTION and --within D go together: the latest minute at which ACTION still brings the fleet back within D',
    );
  const atMs = opts.at === undefined ? undefined : duration('--at', opts.at);
  const withinMs = opts.within === undefined ? undefined : duration('--within', opts.within);
  if (withinMs !== undefined && !(withinMs > 0)) throw new UsageError(`--within ${opts.within}: must be longer than 0 (e.g. --within 10m)`);
  if (opts.report !== undefined) checkReportPath(opts.report);

  const asWritten = loadTopology(file); // the file's own problems first, with their line numbers
  const document = readTopologyYaml(readFileSync(file, 'utf8'), file);
  const plan = atMs === undefined ? undefined : asUsage(() => planWhatif(document, file, atMs, tries));
  /** the search's bounds as the file gives them: the trigger, and the last minute that leaves --within before the end */
  let search: { action: string; withinMs: number; triggerMs: number; lastMs: number } | undefined;
  if (opts.latest !== undefined && withinMs !== undefined) {
    const times = asWritten.timeline.map((e) => e.atMs);
    if (times.length === 0) throw new UsageError(`--latest: ${file} has no timeline, so no storm to act on`);
    const triggerMs = Math.min(...times);
    if (triggerMs + withinMs >= asWritten.durationMs)
      throw new UsageError(
        `--within ${opts.within}: the run (${fmtDuration(asWritten.durationMs / 1000)}) has no room after its trigger at ${fmtDuration(triggerMs / 1000)} for an action and ${fmtDuration(withinMs / 1000)} to recover; lower --within or lengthen the run`,
      );
    asUsage(() => planWhatif(document, file, triggerMs, [opts.latest!])); // the action's own problems, before anything runs
    // the search starts at the storm (known once the run as written has run): before it there is nothing to end
    search = { action: opts.latest, withinMs, triggerMs, lastMs: asWritten.durationMs - withinMs };
  }

  const intervalMs = progressIntervalMs(process.env.STAMPEDE_PROGRESS_SECONDS);
  const threads = Math.max(1, Math.min(opts.workers ?? Number.POSITIVE_INFINITY, availableParallelism()));
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  const chatty = opts.json !== true;
  if (chatty)
    print([
      `${colors.bold('stampede whatif')} ${safeText(file)}: seed ${opts.seed}, engine ${engine}, ${plural(threads, 'worker thread')}` +
        (plan === undefined ? '' : `; ${plural(plan.branches.length, 'action')} at ${fmtDuration(plan.atMs / 1000)}`) +
        (search === undefined
          ? ''
          : `; latest minute for ${safeText(search.action)} to recover within ${fmtDuration(search.withinMs / 1000)}`),
    ]);

  const pool = createThreadPool<BranchJob, BranchResult>(siblingModule(import.meta.url, 'whatif-worker'), null, threads, 'a branch');
  let note = 'before the first branch';
  setInterruptNote(() => note);
  let asWrittenResult: BranchResult;
  let branchResults: BranchResult[] = [];
  let latest: WhatifResult['latest'] = null;
  let reranBecause: string | undefined;
  try {
    const jobs: BranchJob[] = [
      { index: -1, params: asWritten, judged: asWritten, atMs: undefined, seed: opts.seed, engine, withRun: true, trunk: asWritten },
      ...(plan?.branches ?? []).map(
        (b, i): BranchJob => ({
          index: i,
          params: b.params,
          judged: b.judged,
          atMs: plan!.atMs,
          seed: opts.seed,
          engine,
          withRun: true,
          trunk: asWritten,
        }),
      ),
    ];
    const progress = countProgress(io.stdout, jobs.length, 0, chatty && io.stdout.isTTY === true, io.stderr, intervalMs, {
      command: 'stampede whatif',
      units: 'branches',
      verb: 'judged and run',
    });
    let done = 0;
    try {
      const results = await runBounded(jobs, threads, async (job) => {
        const r = await pool.run(job);
        reranBecause ??= r.reranBecause;
        done++;
        note = `after ${done} of ${plural(jobs.length, 'branch')}`;
        progress.increment();
        return r;
      });
      asWrittenResult = results[0]!;
      branchResults = results.slice(1);
    } finally {
      progress.stop();
    }
    if (search !== undefined) {
      const connected = asWrittenResult.run!.connected;
      const stormMs = stormStartOf(connected, search.triggerMs);
      if (stormMs === undefined)
        throw new UsageError(
          `--latest: the run as written has no storm (connected never fell below ${STORM_CONNECTED_FRACTION_BELOW * 100}% after the trigger at ${fmtDuration(search.triggerMs / 1000)}): nothing to end`,
        );
      // minutes on a 30 s grid from the storm's start, the last one leaving --within before the end of the run
      const fromMs = Math.ceil(stormMs / LATEST_RESOLUTION_MS) * LATEST_RESOLUTION_MS;
      const toMs = fromMs + Math.floor((search.lastMs - fromMs) / LATEST_RESOLUTION_MS) * LATEST_RESOLUTION_MS;
      if (toMs <= fromMs)
        throw new UsageError(
          `--within ${opts.within}: the storm starts at ${fmtDuration(stormMs / 1000)}, leaving no room for an action and ${fmtDuration(search.withinMs / 1000)} to recover before the end of the run; lower --within or lengthen the run`,
        );
      const s = { ...search, fromMs, toMs };
      latest = {
        action: s.action,
        withinMs: s.withinMs,
        ...(await latestMinute(s.fromMs, s.toMs, LATEST_RESOLUTION_MS, async (t) => {
          let branch: ReturnType<typeof planWhatif>['branches'][number];
          try {
            branch = planWhatif(document, file, t, [s.action]).branches[0]!;
          } catch (err) {
            // the topology refuses the action at this minute (e.g. a rollback while the file pauses the rollout)
            if (!(err instanceof WhatifError)) throw err;
            if (chatty) io.stderr.write(`stampede whatif --latest: at ${fmtDuration(t / 1000)}: not possible (${err.message})\n`);
            return { atMs: t, ok: false, outcome: `not possible: ${err.message}` };
          }
          const r = await pool.run({
            index: 0,
            params: branch.params,
            judged: branch.judged,
            atMs: t,
            seed: opts.seed,
            engine,
            withRun: false,
            trunk: asWritten,
          });
          reranBecause ??= r.reranBecause;
          const ok = r.afterActionSec !== null && r.afterActionSec * 1000 <= s.withinMs;
          const outcome =
            r.afterActionSec !== null
              ? `recovered ${r.afterActionSec === 0 ? 'before it' : `${fmtDuration(r.afterActionSec)} after`}`
              : branchVerdict(r);
          if (chatty) io.stderr.write(`stampede whatif --latest: at ${fmtDuration(t / 1000)}: ${ok ? 'yes' : 'no'} (${outcome})\n`);
          return { atMs: t, ok, outcome };
        })),
      };
    }
  } finally {
    await pool.close();
  }
  const result = assembleWhatif(plan, file, asWritten.name, opts.seed, engine, asWrittenResult, branchResults, latest, reranBecause);
  if (opts.report !== undefined) await writeReport(opts.report, whatifReportHtml(result, asWritten.durationMs));
  if (opts.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    print(['', ...formatWhatif(result, colors)]);
    if (opts.report !== undefined) print([`wrote ${opts.report}`]);
  }
  return 0;
}
