/**
 * `stampede run FILE`: load a topology, print the resolved settings, judge it
 * with the oracle (without its manual rollbacks: does it come back by
 * itself?) and print that verdict first, then run it as written with a
 * progress bar (on a terminal) and print its summary; or one JSON object with
 * --json (the verdict beside the run as written); --out DIR also writes the
 * series and the summary; --report FILE.html writes a self-contained HTML
 * report (report/).
 */
import type { EngineName, LogLevel } from '@stampede/kernel';
import { type Platform, runPlatform } from '@stampede/model';
import { colorsFor } from '@stampede/report';
import { checkEngine, DEFAULT_ENGINE } from './args.ts';
import { deliverSignals, noteKept, throwIfInterrupted } from './interrupt.ts';
import { logOutput } from './log-output.ts';
import { checkOutDir } from './output-path.ts';
import { type ProgressStream, runProgress, statusLine } from './progress.ts';
import { checkReportPath } from './report/report-file.ts';
import { writeRunReport } from './report/run-report-file.ts';
import { describeTrace, prepareRunTrace, type TraceRequest } from './run-trace.ts';
import { prepareOutDir, writeRunOutputs } from './series-export.ts';
import { formatAsWrittenHeading, formatHeader, formatSummary, rollbacksOf } from './summary-format.ts';
import { summaryJson } from './summary-json.ts';
import { loadTopology } from './topology.ts';
import { formatVerdictBlock, type RunVerdict, verdictFor } from './verdict.ts';

/** The connected fraction that counts as recovered (runPlatform's default, stated once here). */
export const RECOVERED_FRACTION = 0.99;

export interface RunCommandOptions extends TraceRequest {
  seed: number;
  /** pino level of the simulation's logs, written to stderr. @defaultValue 'silent' */
  logLevel?: LogLevel | undefined;
  /** what runs the actors' machines: 'compiled' (fast) or 'xstate' (the reference); the oracle's runs use it too. @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  out?: string | undefined;
  json?: boolean | undefined;
  quiet?: boolean | undefined;
  /** also write a self-contained HTML report (verdict, charts, settings) to this .html file */
  report?: string | undefined;
}

export interface Io {
  stdout: ProgressStream;
  stderr: { write(text: string): unknown };
}

/** Runs the command; returns the exit code. Usage and topology errors are thrown (see errors.ts). */
export async function runCommand(file: string, opts: RunCommandOptions, io: Io): Promise<number> {
  const params = loadTopology(file);
  // every output path is checked before anything is created or run (checkOutDir before mkdir: a recursive mkdir
  // under /proc can spin)
  if (opts.out !== undefined) checkOutDir(opts.out);
  if (opts.report !== undefined) checkReportPath(opts.report);
  const trace = prepareRunTrace(opts, params, { topology: params.name, seed: opts.seed }); // opens the file: last check before the run
  if (opts.out !== undefined) {
    try {
      prepareOutDir(opts.out); // fail before a long run, not after it
    } catch (err) {
      trace?.abort();
      throw err;
    }
  }
  const logging = logOutput(opts.logLevel ?? 'silent', io.stderr);
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  const chatty = !opts.json && !opts.quiet;
  const engine = opts.engine ?? DEFAULT_ENGINE;

  if (chatty) print(formatHeader(file, opts.seed, params, colors, engine));
  // log lines on the same terminal would tear the bar
  const onTerminal = chatty && io.stdout.isTTY === true && logging === undefined;
  const progress = runProgress(io.stdout, onTerminal);
  let result: ReturnType<typeof runPlatform>;
  let verdict: RunVerdict;
  // the engine the simulation says it runs on (not the flag echoed): what --json reports and the replay carries
  let ran: EngineName = engine;
  const onBuild = (platform: Platform) => {
    ran = platform.sim.engine;
    trace?.attach(platform);
  };
  try {
    // The oracle's verdict first: its own runs (the timeline without manual rollbacks, and a control
    // run from a quiet start when the storm is stationary), on the same seed and engine. No progress to
    // report from inside it: a status line on a terminal says what is going on.
    const judging = statusLine(io.stdout, onTerminal);
    judging.show('  judging: the oracle runs the scenario without its manual rollbacks…');
    try {
      verdict = verdictFor(params, opts.seed, engine);
    } finally {
      judging.clear();
    }
    if (!('unavailable' in verdict)) checkEngine(engine, verdict.engine, `the oracle's judgement of ${file}`);
    if (chatty) print(['', ...formatVerdictBlock(verdict, params, colors)]);
    // Only the seed and the topology go into the run: no wall-clock value.
    result = runPlatform(params, {
      seed: opts.seed,
      engine,
      recoveredFraction: RECOVERED_FRACTION,
      // a signal reported by the launcher stops the run between chunks of simulated time (interrupt.ts)
      onProgress: (doneMs, totalMs) => {
        throwIfInterrupted();
        progress.update(doneMs, totalMs);
      },
      onBuild,
      ...(logging ? { logging } : {}),
    });
  } catch (err) {
    trace?.abort();
    throw err;
  } finally {
    progress.stop();
  }
  try {
    await deliverSignals(); // a signal sent during the simulation stops the command here, before anything is written
  } catch (err) {
    trace?.abort();
    throw err;
  }
  const traced = trace?.commit();
  if (traced !== undefined) noteKept(traced.path);

  const json = summaryJson(file, params, result.summary, ran, verdict);
  if (opts.out !== undefined) {
    const paths = await writeRunOutputs(opts.out, { series: result.series, connected: result.connected, summary: json });
    for (const p of paths) noteKept(p);
    if (!opts.json) print([`wrote ${paths.join(', ')}`]);
  }
  if (opts.json) io.stdout.write(`${JSON.stringify(json)}\n`);
  else {
    print([
      ...(chatty ? [] : formatVerdictBlock(verdict, params, colors)), // --quiet: the verdict still comes first
      '',
      formatAsWrittenHeading(params, colors),
      ...formatSummary(
        file,
        {
          summary: result.summary,
          connected: result.connected,
          recoveredFraction: RECOVERED_FRACTION,
          engine: ran,
          rollbacksAtMs: rollbacksOf(params),
        },
        colors,
      ),
    ]);
  }
  if (traced !== undefined) {
    const { info, warnings } = describeTrace(traced);
    // stdout stays one JSON object under --json
    (opts.json ? io.stderr : io.stdout).write(`${info}\n`);
    for (const w of warnings) io.stderr.write(`${w}\n`);
  }
  if (opts.report !== undefined) {
    await writeRunReport(opts.report, {
      file,
      seed: opts.seed,
      engine: ran,
      params,
      result,
      recoveredFraction: RECOVERED_FRACTION,
      verdict,
    });
    // stdout stays one JSON object under --json
    (opts.json ? io.stderr : io.stdout).write(`wrote ${opts.report}\n`);
  }
  return 0;
}
