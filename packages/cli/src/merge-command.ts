/**
 * `stampede merge SHARD.json…`: joins the shard files of one sweep (written
 * by `stampede sweep --shard I/N` on any machines) into what one unsharded
 * run writes, byte for byte: sweep.json and sweep.csv, and the heatmap; or
 * the shard files of one check (`stampede check --shard I/N`) into the
 * check's outcome (check-merge.ts); or the shard files of one worlds file
 * (`stampede demo --worlds FILE --shard I/N`) into the robust scoreboard.
 * Shards of different sweeps, a missing shard, one given twice or a damaged
 * file are usage errors naming the files, and nothing is written.
 */
import { assembleWorlds, CHECK_SHARD_FORMAT, mergeShards, mergeWorldsShards, WORLDS_SHARD_FORMAT } from '@stampede/check';
import { colorsFor, safeText } from '@stampede/report';
import { UsageError } from './errors.ts';
import { checkOutDir } from './output-path.ts';
import { readUserText } from './read-text.ts';
import { checkReportPath, sweepReportHtml, writeReport } from './report/index.ts';
import type { Io } from './run-command.ts';
import { asUsage, defaultSweepDir, formatSweepReport, writeSweepOutputs } from './sweep-command.ts';
import { sweepReportInput } from './sweep-report-input.ts';
import { printWorlds } from './worlds-command.ts';

export interface MergeOptions {
  out?: string | undefined;
  json?: boolean | undefined;
  /** also write the heatmap (or the check's report) as a self-contained HTML page */
  report?: string | undefined;
  /** check shards: worker threads judging the shrink candidates */
  workers?: number | undefined;
}

const HINT =
  'pass the shard files that stampede sweep --shard I/N (shard-I-of-N.json) or stampede check --shard I/N (check-shard-I-of-N.json) or stampede demo --worlds FILE --shard I/N (worlds-shard-I-of-N.json) wrote';

function readShardFile(file: string): unknown {
  const text = readUserText(file, 'shard file', HINT);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${(err as Error).message}); ${HINT}`);
  }
}

export async function mergeCommand(files: readonly string[], opts: MergeOptions, io: Io): Promise<number> {
  const data = files.map((name) => ({ name, data: readShardFile(name) }));
  // shards of a check (stampede check --shard): the check's outcome, exactly as unsharded
  const first = data[0]?.data as { format?: unknown } | undefined;
  if (first?.format === CHECK_SHARD_FORMAT) {
    if (opts.out !== undefined)
      throw new UsageError('--out is for sweep shards: a merged check prints its outcome (--json for JSON, --report for a page)');
    const { checkMergeCommand } = await import('./check-merge.ts');
    return checkMergeCommand(data, opts, io);
  }
  // shards of a worlds file (stampede demo --worlds FILE --shard): the robust scoreboard, exactly as unsharded
  if (first?.format === WORLDS_SHARD_FORMAT) {
    if (opts.out !== undefined)
      throw new UsageError(
        '--out is for sweep shards: merged worlds shards print the robust scoreboard (--json for JSON, --report for a page)',
      );
    if (opts.report !== undefined) checkReportPath(opts.report);
    const merged = asUsage(() => mergeWorldsShards(data));
    const result = asUsage(() => assembleWorlds(merged, merged.runs, merged.engine));
    return printWorlds(result, opts, io);
  }
  const result = asUsage(() => mergeShards(data));
  const out = opts.out ?? defaultSweepDir(result.topology.name);
  checkOutDir(out); // every output path before anything is written
  if (opts.report !== undefined) checkReportPath(opts.report);
  const paths = await writeSweepOutputs(out, result);
  if (opts.report !== undefined) {
    await writeReport(opts.report, sweepReportHtml(sweepReportInput(result)));
    paths.push(opts.report);
  }
  if (opts.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const colors = colorsFor(io.stdout);
    const lines = [
      `${colors.bold('stampede merge')}: ${files.length} shard file${files.length === 1 ? '' : 's'} of ${safeText(result.topology.name)} (${safeText(result.topology.file)}), seed ${result.seed}, ${result.cells.length} cells`,
      ...formatSweepReport(result, paths, colors),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}
