/**
 * `stampede merge check-shard-*-of-N.json`: the outcome of one sharded check, exactly as the unsharded check gives
 * it (tally, counterexample, shrunk case, replay command). The shards' verdicts seed the judging memo, so fast-check's
 * replay of the cases up to the first failure costs nothing; the shrink candidates are judged here, on worker
 * threads, from the topology file the shards name (run the merge from the directory the shards ran in). A file
 * that changed since the shards ran is refused: its fingerprint no longer matches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type CaseVerdict, createJudgePool, mergeCheckShards, rolloutCase } from '@stampede/check';
import { colorsFor, safeText } from '@stampede/report';
import { checkFingerprint, concludeCheck, fromRecord, listCases, writeCheckOutcome } from './check-command.ts';
import { checkProgress, progressIntervalMs } from './check-progress.ts';
import { UsageError } from './errors.ts';
import { checkReportPath } from './report/index.ts';
import type { Io } from './run-command.ts';
import { asUsage } from './sweep-command.ts';
import { loadTopology } from './topology.ts';

export interface CheckMergeOptions {
  json?: boolean | undefined;
  report?: string | undefined;
  workers?: number | undefined;
}

export async function checkMergeCommand(
  files: readonly { name: string; data: unknown }[],
  opts: CheckMergeOptions,
  io: Io,
): Promise<number> {
  const merged = asUsage(() => mergeCheckShards(files));
  const def = merged.check;
  if (opts.report !== undefined) checkReportPath(opts.report);
  if (!existsSync(def.file))
    throw new UsageError(
      `the shards name the topology file ${def.file} (as given to stampede check), and it is not here: run the merge from the directory the shards ran in, with that file present`,
    );
  const topology = loadTopology(def.file);
  const now = checkFingerprint(readFileSync(def.file, 'utf8'), def);
  if (now !== def.fingerprint)
    throw new UsageError(
      `${def.file} is not the file the shards judged (its content, or the stampede version, differs): merge with the topology file the shards ran on, from the directory they ran in`,
    );
  const arbitrary = rolloutCase(topology, { faults: def.faults });
  const cases = listCases(arbitrary, def.seed, def.runs);
  const firstFailure = merged.firstFailure ?? Number.POSITIVE_INFINITY;
  const verdicts: (CaseVerdict | undefined)[] = [];
  for (const [i, r] of merged.verdicts) if (i <= firstFailure) verdicts[i] = fromRecord(r);
  const chatty = opts.json !== true;
  if (chatty) {
    const colors = colorsFor(io.stdout);
    io.stdout.write(
      `${colors.bold('stampede merge')}: ${files.length} check shard file${files.length === 1 ? '' : 's'} of ${safeText(def.topology)} (${safeText(def.file)}), seed ${def.seed}, ${def.runs} cases, engine ${def.engine}` +
        `${Number.isFinite(firstFailure) ? `; the first failure is case ${firstFailure + 1}${def.maxShrink > 0 ? ': shrinking it here' : ' (not shrunk: --max-shrink 0)'}` : '; no case failed'}\n`,
    );
  }
  const threads = Math.max(1, Math.min(opts.workers ?? availableParallelism(), availableParallelism()));
  const pool = createJudgePool(topology, threads, def.engine);
  for (const [i, r] of merged.verdicts) pool.remember(cases[i]!, fromRecord(r));
  const progress = checkProgress(io.stdout, chatty && io.stdout.isTTY === true, {
    stream: io.stderr,
    intervalMs: progressIntervalMs(process.env.STAMPEDE_PROGRESS_SECONDS),
  });
  // the shards' verdicts up to the first failure, as if judged here: the progress line tallies them
  progress.start(Math.min(def.runs, firstFailure + 1));
  for (const v of verdicts) if (v !== undefined) progress.judged(v.verdict);
  let outcome: Awaited<ReturnType<typeof concludeCheck>>;
  try {
    outcome = await concludeCheck({
      file: def.file,
      topology,
      seed: def.seed,
      runs: def.runs,
      faults: def.faults,
      engine: def.engine,
      maxShrink: def.maxShrink,
      arbitrary,
      cases,
      verdicts,
      firstFailure,
      judgedPastFailure: 0,
      judgeCase: (c) => pool.judge(c),
      progress,
    });
  } finally {
    progress.stop();
    await pool.close();
  }
  progress.done(outcome.generatedJudged, outcome.shrink?.steps);
  return writeCheckOutcome(outcome, topology, opts, io);
}
