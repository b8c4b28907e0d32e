/**
 * `stampede demo`: the mitigation scoreboard. Runs the incident, its elastic
 * baseline and one topology per postmortem action item in parallel on worker
 * threads, then prints one table row per scenario and a replay command each;
 * --report FILE.html also writes the scoreboard as an HTML page with charts.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { runBounded, siblingModule, startWorker } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { colorsFor, demoReportHtml, formatScoreboard, type ScenarioOutcome } from '@stampede/report';
import { checkEngine, DEFAULT_ENGINE } from './args.ts';
import type { DemoJob, DemoResult, DemoWorkerMessage } from './demo-worker.ts';
import { EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, UsageError } from './errors.ts';
import { defaultTopologiesDir } from './package-files.ts';
import { demoProgress } from './progress.ts';
import { checkReportPath, writeReport } from './report/report-file.ts';
import { type Io, RECOVERED_FRACTION } from './run-command.ts';

/** The scoreboard's scenarios, in the order they are shown. */
export const DEMO_FILES = [
  'prod4-incident.yaml',
  'prod4-elastic-baseline.yaml',
  'action-1-pool-headroom.yaml',
  'action-2-longer-acquire-timeout.yaml',
  'action-3-one-pod-at-a-time.yaml',
  'action-4-independent-router-deploy.yaml',
  'action-5-higher-autoscaling-limits.yaml',
  'prod4-mitigated.yaml',
] as const;

export { defaultTopologiesDir } from './package-files.ts';

/** A path as the user would type it from the current directory. */
export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

export interface DemoOptions {
  seed: number;
  dir?: string | undefined;
  /** worker threads; at most os.availableParallelism() */
  workers?: number | undefined;
  /** what runs the actors' machines in every run and judgement: 'compiled' (fast) or 'xstate' (the reference). @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  /** also write the scoreboard as a self-contained HTML page to this .html file */
  report?: string | undefined;
}

function runInWorker(job: DemoJob, onProgress: (doneMs: number, totalMs: number) => void): Promise<DemoResult> {
  return new Promise((resolve) => {
    const worker = startWorker(siblingModule(import.meta.url, 'demo-worker'), job);
    let result: DemoResult | undefined;
    const fail = (text: string): DemoResult => ({ outcome: { file: job.file, ok: false, kind: 'unexpected', text } });
    worker.on('message', (m: DemoWorkerMessage) => {
      if (m.type === 'progress') onProgress(m.doneMs, m.totalMs);
      else
        result = {
          outcome: m.outcome,
          ...(m.timeline === undefined ? {} : { timeline: m.timeline }),
          ...(m.engine === undefined ? {} : { engine: m.engine }),
        };
    });
    worker.on('error', (err) => {
      result ??= fail(err.stack ?? err.message);
    });
    worker.on('exit', (code) => resolve(result ?? fail(`the worker thread exited with code ${code} without a result`)));
  });
}

export async function demoCommand(opts: DemoOptions, io: Io): Promise<number> {
  const dir = opts.dir ?? defaultTopologiesDir();
  const present = DEMO_FILES.filter((f) => existsSync(join(dir, f)));
  const missing = DEMO_FILES.filter((f) => !present.includes(f));
  if (present.length === 0) {
    throw new UsageError(
      `no scenario files in '${displayPath(dir)}' (expected ${DEMO_FILES.join(', ')}); pass --dir DIR with at least one of them`,
    );
  }
  if (opts.report !== undefined) checkReportPath(opts.report); // before the runs, not after them
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  const workers = Math.max(1, Math.min(opts.workers ?? Number.POSITIVE_INFINITY, availableParallelism(), present.length));
  const files = present.map((f) => displayPath(join(dir, f)));
  const engine = opts.engine ?? DEFAULT_ENGINE;

  print([
    `${colors.bold('stampede demo')}: seed ${opts.seed}, engine ${engine}, ${present.length} scenario${present.length === 1 ? '' : 's'} from ${displayPath(dir)}, ` +
      `${workers} worker thread${workers === 1 ? '' : 's'}`,
  ]);
  if (missing.length > 0) print([colors.yellow(`missing (skipped): ${missing.join(', ')}`)]);

  const progress = demoProgress(
    io.stdout,
    present.map((f) => f.replace(/\.yaml$/, '')),
  );
  let results: DemoResult[];
  try {
    results = await runBounded(files, workers, async (file, i) => {
      const started = performance.now(); // wall time for the progress line only, never passed into a run
      const result = await runInWorker({ file, seed: opts.seed, engine }, (done, total) => progress.update(i, done, total));
      progress.finish(i, result.outcome.ok ? `done in ${((performance.now() - started) / 1000).toFixed(1)} s` : 'failed');
      return result;
    });
  } finally {
    progress.stop();
  }
  // the replay lines say --engine: make sure every scenario that ran, ran on it
  for (const r of results) if (r.outcome.ok) checkEngine(engine, r.engine, `the demo's run of ${r.outcome.file}`);
  const outcomes: ScenarioOutcome[] = results.map((r) => r.outcome);

  print(['', ...formatScoreboard(outcomes, opts.seed, colors, engine)]);
  if (opts.report !== undefined) {
    const page = demoReportHtml({
      seed: opts.seed,
      engine,
      dir: displayPath(dir),
      outcomes,
      timelines: results.map((r) => r.timeline),
      recoveredFraction: RECOVERED_FRACTION,
    });
    await writeReport(opts.report, page);
    print([`wrote ${opts.report}`]);
  }
  if (outcomes.some((o) => !o.ok && o.kind === 'unexpected')) return EXIT_UNEXPECTED;
  if (outcomes.some((o) => !o.ok)) return EXIT_USAGE;
  return EXIT_OK;
}
