/**
 * `stampede run FILE`: load a topology, print the resolved settings, run it
 * with a progress bar (on a terminal), then print the summary, or one JSON
 * object with --json; --out DIR also writes the series and the summary.
 */
import { runPlatform } from '@stampede/model';
import { colorsFor } from './colors.ts';
import { type ProgressStream, runProgress } from './progress.ts';
import { prepareOutDir, writeRunOutputs } from './series-export.ts';
import { formatHeader, formatSummary } from './summary-format.ts';
import { summaryJson } from './summary-json.ts';
import { loadTopology } from './topology.ts';

/** The connected fraction that counts as recovered (runPlatform's default, stated once here). */
export const RECOVERED_FRACTION = 0.99;

export interface RunCommandOptions {
  seed: number;
  out?: string | undefined;
  json?: boolean | undefined;
  quiet?: boolean | undefined;
}

export interface Io {
  stdout: ProgressStream;
  stderr: { write(text: string): unknown };
}

/** Runs the command; returns the exit code. Usage and topology errors are thrown (see errors.ts). */
export async function runCommand(file: string, opts: RunCommandOptions, io: Io): Promise<number> {
  const params = loadTopology(file);
  if (opts.out !== undefined) prepareOutDir(opts.out); // fail before a long run, not after it
  const colors = colorsFor(io.stdout);
  const print = (lines: string[]) => io.stdout.write(`${lines.join('\n')}\n`);
  const chatty = !opts.json && !opts.quiet;

  if (chatty) print(formatHeader(file, opts.seed, params, colors));
  const progress = runProgress(io.stdout, chatty && io.stdout.isTTY === true);
  let result: ReturnType<typeof runPlatform>;
  try {
    // Only the seed and the topology go into the run: no wall-clock value.
    result = runPlatform(params, { seed: opts.seed, recoveredFraction: RECOVERED_FRACTION, onProgress: progress.update });
  } finally {
    progress.stop();
  }

  const json = summaryJson(file, params, result.summary);
  if (opts.out !== undefined) {
    const paths = await writeRunOutputs(opts.out, { series: result.series, connected: result.connected, summary: json });
    if (!opts.json) print([`wrote ${paths.join(', ')}`]);
  }
  if (opts.json) io.stdout.write(`${JSON.stringify(json)}\n`);
  else {
    print([
      ...(chatty ? [''] : []),
      ...formatSummary(file, { summary: result.summary, connected: result.connected, recoveredFraction: RECOVERED_FRACTION }, colors),
    ]);
  }
  return 0;
}
