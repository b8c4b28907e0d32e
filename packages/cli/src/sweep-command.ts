/**
 * `stampede sweep FILE --vary PATH=FROM..TO[:STEPS] [--vary …]`: a boundary
 * map. Every cell (one combination of values) is judged by the oracle on
 * worker threads; the result is a heatmap in the terminal and sweep.json +
 * sweep.csv in the output directory, with the margin of the file's own
 * settings to the nearest unsafe cell. With `--shard I/N` only every N-th
 * cell runs and a shard file is written instead, for `stampede merge`.
 *
 * Everything that can be wrong (the file, the paths, every cell's values,
 * the shard, the output directory, finished cells kept from an interrupted
 * run) is checked before the first cell runs. Each finished cell is kept in
 * the output directory as it finishes (sweep-journal.ts), so an interrupted
 * sweep resumes when the same command runs again; `--restart` starts over.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  assembleSweep,
  cellCountOf,
  checkAxisCount,
  createThreadPool,
  makeShard,
  parseShard,
  parseVary,
  planSweep,
  runBounded,
  type ShardSpec,
  SWEEP_FILES,
  type SweepCell,
  type SweepDefinition,
  SweepError,
  type SweepResult,
  shardCellIndices,
  shardFileName,
  siblingModule,
  sweepToCsv,
  sweepToJson,
  WhatifError,
  WorldsError,
} from '@stampede/check';
import { readTopologyYaml, TopologyError } from '@stampede/model';
import { type Colors, colorsFor, safeText } from '@stampede/report';
import writeFileAtomic from 'write-file-atomic';
import { progressIntervalMs } from './check-progress.ts';
import { TopologyFileError, topologyErrorText, UsageError } from './errors.ts';
import { formatHeatmap } from './heatmap.ts';
import { noteKept, setInterruptNote } from './interrupt.ts';
import { checkOutDir } from './output-path.ts';
import { PACKAGE_VERSION } from './package-files.ts';
import { countProgress } from './progress.ts';
import { checkReportPath, sweepReportHtml, writeReport } from './report/index.ts';
import type { Io } from './run-command.ts';
import { prepareOutDir } from './series-export.ts';
import { shardFromEnvironment, shardSource } from './shard-env.ts';
import { openJournal } from './sweep-journal.ts';
import { sweepReportInput } from './sweep-report-input.ts';
import type { SweepCellJob } from './sweep-worker.ts';
import { loadTopology } from './topology.ts';

export interface SweepOptions {
  vary: string[];
  seed: number;
  /** worker threads; at most os.availableParallelism() */
  workers?: number | undefined;
  out?: string | undefined;
  /** `I/N` */
  shard?: string | undefined;
  json?: boolean | undefined;
  /** also write the heatmap as a self-contained HTML page (not with a shard: it holds part of the map) */
  report?: string | undefined;
  /** discard the finished cells an interrupted run of this sweep kept, and judge every cell again */
  restart?: boolean | undefined;
}

const VERSION = PACKAGE_VERSION;

/** Runs `fn`, turning the library's sweep, worlds, whatif and topology errors into usage errors (exit code 2). */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SweepError || err instanceof WorldsError || err instanceof WhatifError) throw new UsageError(err.message);
    if (err instanceof TopologyError) throw new TopologyFileError(topologyErrorText(err.message, err.issues));
    throw err;
  }
}

/** `sweep-<topology name>` in the current directory. */
export function defaultSweepDir(name: string): string {
  return `sweep-${name.replace(/[^\w.-]+/g, '-')}`;
}

/** What makes two runs the same sweep: the file's bytes, the seed, the axes and the tool version. */
export function sweepFingerprint(topologyText: string, seed: number, axes: SweepDefinition['axes']): string {
  const what = JSON.stringify({ stampede: VERSION, topologyText, seed, axes: axes.map((a) => [a.path, a.kind, a.values]) });
  return `sha256:${createHash('sha256').update(what).digest('hex')}`;
}

/** Writes sweep.json and sweep.csv into `dir` (created if needed), each atomically; returns their paths. */
export async function writeSweepOutputs(dir: string, result: SweepResult): Promise<string[]> {
  checkOutDir(dir);
  prepareOutDir(dir);
  const json = join(dir, SWEEP_FILES.json);
  const csv = join(dir, SWEEP_FILES.csv);
  await writeFileAtomic(json, sweepToJson(result));
  noteKept(json);
  await writeFileAtomic(csv, sweepToCsv(result));
  noteKept(csv);
  return [json, csv];
}

/** The heatmap, the margin and where the files are: what `sweep` and `merge` print. */
export function formatSweepReport(result: SweepResult, paths: readonly string[], colors: Colors): string[] {
  return ['', ...formatHeatmap(printable(result), colors), '', `wrote ${paths.map(safeText).join(', ')}`];
}

/** The result with every string a file brought in (a merged shard's names, paths and labels) made safe to print. */
export function printable(result: SweepResult): SweepResult {
  return {
    ...result,
    topology: { name: safeText(result.topology.name), file: safeText(result.topology.file) },
    axes: result.axes.map((a) => ({
      ...a,
      path: safeText(a.path),
      labels: a.labels.map(safeText),
      own: a.own === null ? null : { ...a.own, label: safeText(a.own.label) },
    })),
    edges: result.edges.map((e) => ({
      ...e,
      path: safeText(e.path),
      label: safeText(e.label),
      vary: safeText(e.vary),
      summary: safeText(e.summary),
    })),
  };
}

/** Judges `jobs` on `threads` long-lived worker threads; results in job order; the first failure stops the rest. */
async function judgeCells(jobs: readonly SweepCellJob[], threads: number, onCell: (cell: SweepCell) => void): Promise<SweepCell[]> {
  const pool = createThreadPool<SweepCellJob, SweepCell>(siblingModule(import.meta.url, 'sweep-worker'), null, threads, 'judging a cell');
  let failed = false;
  try {
    return await runBounded(jobs, threads, async (job) => {
      if (failed) throw new Error('stopped after another cell failed');
      try {
        const cell = await pool.run(job);
        onCell(cell);
        return cell;
      } catch (err) {
        failed = true;
        throw err;
      }
    });
  } finally {
    await pool.close();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function formatWall(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export async function sweepCommand(file: string, opts: SweepOptions, io: Io): Promise<number> {
  asUsage(() => checkAxisCount(opts.vary.length));
  const intervalMs = progressIntervalMs(process.env.STAMPEDE_PROGRESS_SECONDS);
  const specs = asUsage(() => opts.vary.map(parseVary));
  // --shard, or the runner's environment: STAMPEDE_SHARD=I/N (a CI matrix), JOB_COMPLETION_INDEX + STAMPEDE_SHARD_COUNT (an Indexed Job)
  const shardText = shardFromEnvironment(opts.shard, process.env);
  const shard: ShardSpec | undefined = shardText === undefined ? undefined : asUsage(() => parseShard(shardText));
  loadTopology(file); // the file's own problems first, with their line numbers
  const text = readFileSync(file, 'utf8');
  const plan = asUsage(() => planSweep(readTopologyYaml(text, file), file, specs));
  const total = cellCountOf(plan.axes);
  const indices = shard === undefined ? plan.cells.map((_, i) => i) : asUsage(() => shardCellIndices(total, shard));
  const out = opts.out ?? defaultSweepDir(plan.name);
  if (opts.report !== undefined) {
    if (shard !== undefined)
      throw new UsageError(
        `--report needs the whole map and a shard holds part of it (${shardSource(opts.shard, process.env)} makes this a shard): pass --report to stampede merge instead`,
      );
    checkReportPath(opts.report);
  }
  checkOutDir(out); // before mkdir: a recursive mkdir under /proc can spin
  prepareOutDir(out); // last of the checks (it creates the directory), and before the long part

  const definition: SweepDefinition = {
    topology: { name: plan.name, file },
    seed: opts.seed,
    fingerprint: sweepFingerprint(text, opts.seed, plan.axes),
    axes: plan.axes,
  };
  const threads = Math.max(1, Math.min(opts.workers ?? Number.POSITIVE_INFINITY, availableParallelism(), indices.length));
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  const chatty = opts.json !== true;

  if (chatty) {
    const sizes = plan.axes.map((a) => a.values.length).join(' × ');
    print([
      `${colors.bold('stampede sweep')}: ${safeText(plan.name)} (${safeText(file)}), seed ${opts.seed}, ${plural(total, 'cell')}${plan.axes.length > 1 ? ` (${sizes})` : ''}, ${plural(threads, 'worker thread')}`,
      ...plan.axes.map(
        (a, i) =>
          `  ${plan.axes.length === 1 ? 'values ' : i === 0 ? 'columns' : 'rows   '} ${a.path}: ${a.labels.join(', ')} (the file: ${a.own === null ? 'not a number' : `${a.own.label}${a.own.from === 'default' ? ', the default' : ''}`})`,
      ),
      ...plan.notes.map((n) => colors.yellow(`  note: ${n}`)),
      ...(shard === undefined
        ? []
        : [
            `  shard ${shard.index}/${shard.count}: ${plural(indices.length, 'cell')} of ${total} (index ≡ ${shard.index - 1} mod ${shard.count})`,
          ]),
    ]);
  }

  const sizes = plan.axes.map((a) => a.values.length);
  // finished cells an interrupted run of this same sweep kept: validated, then only the others are judged
  const journal = openJournal(out, definition, shard, indices, opts.restart === true);
  const resumed = new Set(journal.resumed.map((c) => c.index));
  if (chatty && resumed.size > 0)
    print([
      `  resuming: ${resumed.size} of ${plural(indices.length, 'cell')} already judged (kept in ${safeText(journal.path)}; --restart judges them again)`,
    ]);
  const jobs = indices
    .filter((index) => !resumed.has(index))
    .map((index): SweepCellJob => ({ index, params: plan.cells[index]!, seed: opts.seed, sizes }));
  const onTerminal = chatty && io.stdout.isTTY === true;
  const progress = countProgress(io.stdout, indices.length, resumed.size, onTerminal, io.stderr, intervalMs, {
    command: 'stampede sweep',
    units: 'cells',
    verb: 'judged',
  });
  const started = performance.now(); // wall time for the terminal only, never written to a file
  let judged = resumed.size;
  // Ctrl-C: the worker threads end with the process; the line says how far it got and what it kept (interrupt.ts)
  setInterruptNote(() =>
    judged === 0
      ? `after 0 of ${plural(indices.length, 'cell')}`
      : `after ${judged} of ${plural(indices.length, 'cell')} (the same command resumes from the finished cells)`,
  );
  let judgedNow: SweepCell[];
  try {
    judgedNow = await judgeCells(jobs, threads, (cell) => {
      if (judged === resumed.size) noteKept(journal.path);
      journal.add(cell);
      judged++;
      progress.increment();
    });
  } finally {
    progress.stop();
  }
  const cells = [...journal.resumed, ...judgedNow].sort((a, b) => a.index - b.index);
  const wall = `${plural(judgedNow.length, 'cell')} in ${formatWall(performance.now() - started)} on ${plural(threads, 'worker thread')}${resumed.size > 0 ? ` (and ${resumed.size} kept from before)` : ''}`;

  if (shard !== undefined) {
    const path = join(out, shardFileName(shard));
    const content = makeShard(definition, shard, cells);
    await writeFileAtomic(path, `${JSON.stringify(content, null, 2)}\n`);
    noteKept(path);
    journal.remove();
    if (opts.json) io.stdout.write(`${JSON.stringify(content)}\n`);
    else
      print([
        `shard ${shard.index}/${shard.count}: ${wall}`,
        `wrote ${path}; when all ${shard.count} shards are done: stampede merge ${join(out, `shard-*-of-${shard.count}.json`)} --out ${out}`,
      ]);
    return 0;
  }
  const result = assembleSweep(definition, cells);
  const paths = await writeSweepOutputs(out, result);
  journal.remove();
  if (opts.report !== undefined) {
    await writeReport(opts.report, sweepReportHtml(sweepReportInput(result)));
    paths.push(opts.report);
  }
  if (opts.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else print([...formatSweepReport(result, paths, colors), wall]);
  return 0;
}
