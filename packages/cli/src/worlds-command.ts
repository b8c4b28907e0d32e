/**
 * `stampede demo --worlds FILE`: the robust scoreboard. Reads the worlds file
 * and every topology it names, resolves every topology in every world before
 * anything runs, then runs calibration and the scoreboard on worker threads
 * with a progress bar per phase, and prints what calibration kept and the
 * scoreboard (or, with --json, one JSON object; with --report, also a page).
 * With --shard I/N only every N-th world runs, and a shard file is written
 * for `stampede merge`.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  assembleWorlds,
  createThreadPool,
  parseShard,
  parseWorldsFile,
  planWorlds,
  runBounded,
  runWorlds,
  type ShardSpec,
  shardWorldIndices,
  siblingModule,
  specTopologies,
  WORLDS_SHARD_FORMAT,
  WORLDS_SHARD_FORMAT_VERSION,
  type WorldsJob,
  type WorldsJobResult,
  type WorldsResult,
  type WorldsShard,
  worldsShardFileName,
  worldsTextSha256,
} from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { readTopologyYaml } from '@stampede/model';
import { colorsFor, formatWorlds, plural, safeText, worldsReportHtml } from '@stampede/report';
import writeFileAtomic from 'write-file-atomic';
import { DEFAULT_ENGINE } from './args.ts';
import { progressIntervalMs } from './check-progress.ts';
import { displayPath } from './demo-command.ts';
import { UsageError } from './errors.ts';
import { noteKept, setInterruptNote } from './interrupt.ts';
import { checkOutDir } from './output-path.ts';
import { PACKAGE_VERSION } from './package-files.ts';
import { countProgress } from './progress.ts';
import { readUserText } from './read-text.ts';
import { checkReportPath, writeReport } from './report/report-file.ts';
import type { Io } from './run-command.ts';
import { prepareOutDir } from './series-export.ts';
import { shardFromEnvironment, shardSource } from './shard-env.ts';
import { asUsage } from './sweep-command.ts';

export interface WorldsOptions {
  workers?: number | undefined;
  engine?: EngineName | undefined;
  json?: boolean | undefined;
  report?: string | undefined;
  shard?: string | undefined;
  out?: string | undefined;
}

/** What makes two runs the same: the worlds file, every topology's text, the engine and the tool's version. */
function fingerprint(worldsText: string, topologyTexts: readonly string[], engine: EngineName): string {
  const what = JSON.stringify({ stampede: PACKAGE_VERSION, worldsText, topologyTexts, engine });
  return `sha256:${createHash('sha256').update(what).digest('hex')}`;
}

/** `worlds-<name>` in the current directory: where a shard goes without --out. */
export function defaultWorldsDir(name: string): string {
  return `worlds-${name.replace(/[^\w.-]+/g, '-')}`;
}

export async function worldsCommand(file: string, opts: WorldsOptions, io: Io): Promise<number> {
  const engine = opts.engine ?? DEFAULT_ENGINE;
  const intervalMs = progressIntervalMs(process.env.STAMPEDE_PROGRESS_SECONDS);
  const worldsText = readUserText(file, 'worlds file');
  const spec = asUsage(() => parseWorldsFile(worldsText, file));
  const topologies = specTopologies(spec);
  const texts = topologies.map((t) =>
    readUserText(t.file, `topology "${t.name}" (${t.written} in ${file}, relative to ${displayPath(dirname(resolve(file)))}/)`),
  );
  const documents = Object.fromEntries(topologies.map((t, i) => [t.name, asUsage(() => readTopologyYaml(texts[i]!, t.written))]));
  const plan = asUsage(() => planWorlds(spec, documents));

  const shardText = shardFromEnvironment(opts.shard, process.env);
  const shard: ShardSpec | undefined = shardText === undefined ? undefined : asUsage(() => parseShard(shardText));
  const selected = shard === undefined ? plan.worlds.map((w) => w.index) : asUsage(() => shardWorldIndices(plan.worlds.length, shard));
  if (opts.report !== undefined) {
    if (shard !== undefined)
      throw new UsageError(
        `--report needs every world and a shard holds some of them (${shardSource(opts.shard, process.env)} makes this a shard): pass --report to stampede merge instead`,
      );
    checkReportPath(opts.report);
  }
  if (opts.out !== undefined && shard === undefined)
    throw new UsageError('--out is where a shard file goes: use it with --shard I/N (the robust scoreboard prints; --json, --report)');
  const out = opts.out ?? defaultWorldsDir(spec.name);
  if (shard !== undefined) {
    checkOutDir(out);
    prepareOutDir(out);
  }

  const threads = Math.max(1, Math.min(opts.workers ?? Number.POSITIVE_INFINITY, availableParallelism()));
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  const chatty = opts.json !== true;
  const onTerminal = chatty && io.stdout.isTTY === true;
  if (chatty) {
    print([
      `${colors.bold('stampede demo --worlds')} ${safeText(file)}: ${safeText(spec.name)}, ${plural(plan.worlds.length, 'world')} ` +
        `(${spec.assumptions.map((a) => `${safeText(a.name)} ×${a.values.length}`).join(', ')}) × ${plural(spec.seeds.length, 'seed')}, ` +
        `${plural(spec.actions.length, 'action')}, engine ${engine}, ${plural(threads, 'worker thread')}`,
      ...(shard === undefined
        ? []
        : [
            `  shard ${shard.index}/${shard.count}: ${plural(selected.length, 'world')} of ${plan.worlds.length} (index ≡ ${shard.index - 1} mod ${shard.count})`,
          ]),
    ]);
  }

  const pool = createThreadPool<WorldsJob, WorldsJobResult>(
    siblingModule(import.meta.url, 'worlds-worker'),
    null,
    threads,
    'a run of a topology in a world',
  );
  let phaseNote = 'before the first run';
  setInterruptNote(() => phaseNote);
  const started = performance.now(); // wall time for the terminal only, never written to a file
  let runs: Awaited<ReturnType<typeof runWorlds>>;
  try {
    runs = await runWorlds(plan, {
      engine,
      worlds: selected,
      execute: async (jobs, phase) => {
        const what = phase === 'calibration' ? 'calibration runs' : 'scoreboard judgements';
        if (chatty)
          print([
            phase === 'calibration'
              ? `calibration: ${plural(jobs.length, 'run')} (each observed topology in every world, every seed)`
              : `robust scoreboard: ${plural(jobs.length, 'judgement')} (the incident and every action in each consistent world, every seed)`,
          ]);
        const progress = countProgress(io.stdout, jobs.length, 0, onTerminal, io.stderr, intervalMs, {
          command: 'stampede demo --worlds',
          units: what,
          verb: 'done',
        });
        let done = 0;
        phaseNote = `in ${phase}, after 0 of ${jobs.length} ${what}`;
        try {
          return await runBounded(jobs, threads, async (job) => {
            const r = await pool.run(job);
            done++;
            phaseNote = `in ${phase}, after ${done} of ${jobs.length} ${what}`;
            progress.increment();
            return r;
          });
        } finally {
          progress.stop();
        }
      },
    });
  } finally {
    await pool.close();
  }
  const wall = `${((performance.now() - started) / 1000).toFixed(0)} s on ${plural(threads, 'worker thread')}`;

  if (shard !== undefined) {
    const content: WorldsShard = {
      format: WORLDS_SHARD_FORMAT,
      version: WORLDS_SHARD_FORMAT_VERSION,
      shard,
      fingerprint: fingerprint(worldsText, texts, engine),
      engine,
      source: file,
      worldsText,
      worldsTextSha256: worldsTextSha256(worldsText),
      worlds: selected,
      runs,
    };
    const path = join(out, worldsShardFileName(shard));
    await writeFileAtomic(path, `${JSON.stringify(content)}\n`);
    noteKept(path);
    if (opts.json) io.stdout.write(`${JSON.stringify(content)}\n`);
    else
      print([
        `shard ${shard.index}/${shard.count}: ${wall}`,
        `wrote ${path}; when all ${shard.count} shards are done: stampede merge ${join(out, `worlds-shard-*-of-${shard.count}.json`)}`,
      ]);
    return 0;
  }
  const result = asUsage(() => assembleWorlds(plan, runs, engine));
  return printWorlds(result, opts, io, wall);
}

/** Prints the result (or its JSON) and writes the report: what `demo --worlds` and `merge` of worlds shards end with. */
export async function printWorlds(
  result: WorldsResult,
  opts: { json?: boolean | undefined; report?: string | undefined },
  io: Io,
  wall?: string,
): Promise<number> {
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  if (opts.report !== undefined) await writeReport(opts.report, worldsReportHtml(result));
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  print(['', ...formatWorlds(result, colors), ...(wall === undefined ? [] : ['', wall])]);
  if (opts.report !== undefined) print([`wrote ${opts.report}`]);
  return 0;
}
