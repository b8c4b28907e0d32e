/**
 * Progress bars in virtual minutes, drawn only on a terminal: one bar for
 * `run`, one line per scenario for `demo`. Elsewhere every method is a no-op.
 */
import cliProgress from 'cli-progress';
import { formatElapsed } from './check-progress.ts';

const MIN = 60_000;
const minutes = (ms: number) => Math.round(ms / MIN);

export interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
}

export interface RunProgress {
  update(doneMs: number, totalMs: number): void;
  stop(): void;
}

/** The commands' one-line bar in `format` (cli-progress tokens), cleared when stopped. */
export function singleBar(stream: ProgressStream, format: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    { stream, format, clearOnComplete: true, hideCursor: true, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
}

/** One bar, "virtual minutes done / total"; cleared when stopped. */
export function runProgress(stream: ProgressStream, enabled = stream.isTTY === true): RunProgress {
  if (!enabled) return { update() {}, stop() {} };
  const bar = singleBar(stream, '  {bar} {value}/{total} simulated min | {duration_formatted} elapsed');
  let started = false;
  return {
    update(doneMs, totalMs) {
      if (!started) {
        bar.start(minutes(totalMs), 0);
        started = true;
      }
      bar.update(minutes(doneMs));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export interface StatusLine {
  /** shows `text` on the current line until cleared (for synchronous work that has no progress to report) */
  show(text: string): void;
  clear(): void;
}

/** One line of status text on a terminal, erased when cleared; elsewhere a no-op. */
export function statusLine(stream: ProgressStream, enabled = stream.isTTY === true): StatusLine {
  let shown = false;
  return {
    show(text) {
      if (!enabled) return;
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

export interface DemoProgress {
  update(index: number, doneMs: number, totalMs: number): void;
  /** final status text for a scenario, e.g. "done in 6.1 s" or "failed" */
  finish(index: number, status: string): void;
  stop(): void;
}

/** One line per scenario, named; lines stay on screen with their final status. */
export function demoProgress(stream: ProgressStream, names: readonly string[], enabled = stream.isTTY === true): DemoProgress {
  if (!enabled) return { update() {}, finish() {}, stop() {} };
  const width = Math.max(...names.map((n) => n.length));
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: '  {name} {bar} {value}/{total} min {status}',
      hideCursor: true,
      barsize: 25,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = names.map((n) => multi.create(1, 0, { name: n.padEnd(width), status: 'waiting' }));
  return {
    update(i, doneMs, totalMs) {
      const bar = bars[i]!;
      bar.setTotal(minutes(totalMs));
      bar.update(minutes(doneMs), { status: 'running' });
    },
    finish(i, status) {
      bars[i]!.update({ status });
    },
    stop() {
      multi.stop();
    },
  };
}

export interface CountProgress {
  increment(): void;
  stop(): void;
}

/**
 * Progress over a count of jobs (a sweep's cells, the runs of a worlds file): a bar on a terminal; elsewhere (a log,
 * a CI job, --json) a plain line on `lines` at most every `intervalMs` of wall time as jobs finish, so a long job's
 * log shows it is alive. Wall time is read for the display only.
 */
export function countProgress(
  stream: ProgressStream,
  total: number,
  done: number,
  onTerminal: boolean,
  lines: { write(text: string): unknown },
  intervalMs: number,
  words: { command: string; units: string; verb: string },
): CountProgress {
  if (onTerminal) {
    const bar = singleBar(stream, `  {bar} {value}/{total} ${words.units} | {duration_formatted} elapsed`);
    bar.start(total, done);
    return { increment: () => bar.increment(), stop: () => bar.stop() };
  }
  const started = performance.now();
  let last = started;
  let n = done;
  return {
    increment() {
      n++;
      const now = performance.now();
      if (n < total && now - last < intervalMs) return;
      last = now;
      lines.write(`${words.command}: ${n} of ${total} ${words.units} ${words.verb}, ${formatElapsed(now - started)} elapsed\n`);
    },
    stop() {},
  };
}
