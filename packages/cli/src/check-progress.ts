/**
 * The progress of `stampede check`: cases judged out of the total with a
 * running tally of verdicts, then the shrinking of a counterexample
 * (candidates judged against the budget, smaller failures found).
 *
 * On a terminal it is a bar, redrawn in place. Elsewhere (a log file, a CI
 * job, a pipe) it is plain lines on stderr, at most one every few seconds of
 * wall time, so a log shows the run is alive. Neither changes what is judged
 * or the outcome: wall time is read here for the display only.
 */
import type { VerdictKind } from '@stampede/check';
import { UsageError } from './errors.ts';
import { type ProgressStream, singleBar } from './progress.ts';

export type CheckPhase = 'judging' | 'shrinking';

export interface CheckProgress {
  /** the worker threads start judging the `total` cases fast-check listed */
  start(total: number): void;
  judged(verdict: VerdictKind): void;
  /** a failure is certain: shrinking it, judging at most `budget` candidates */
  shrinking(budget: number): void;
  shrinkStep(stillFails: boolean): void;
  /** the check finished (not called on an error): a last line off a terminal, with the outcome's counts and the wall time */
  done(generated: number, shrinkSteps: number | undefined): void;
  stop(): void;
}

/** Where and how often the lines off a terminal go. */
export interface ProgressLines {
  stream: { write(text: string): unknown };
  /** at most one line per this many ms (0: a line at every step). @defaultValue {@link PROGRESS_INTERVAL_MS} */
  intervalMs?: number | undefined;
  /** wall clock in ms (injectable for tests). @defaultValue performance.now */
  now?: (() => number) | undefined;
  /** a ticker calling `tick` every `ms` while judging is silent (injectable for tests); returns its stop. @defaultValue an unref'd setInterval */
  every?: ((ms: number, tick: () => void) => () => void) | undefined;
}

export const PROGRESS_INTERVAL_MS = 5_000;

/** STAMPEDE_PROGRESS_SECONDS: at most one progress line off a terminal per this many seconds (0: one per case judged); default 5. */
export function progressIntervalMs(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return PROGRESS_INTERVAL_MS;
  const s = Number(value);
  if (!Number.isFinite(s) || s < 0)
    throw new UsageError(`STAMPEDE_PROGRESS_SECONDS expects seconds between progress lines, 0 or more, e.g. 5, got '${value}'`);
  return s * 1000;
}

const NOOP: CheckProgress = { start() {}, judged() {}, shrinking() {}, shrinkStep() {}, done() {}, stop() {} };

/** "2 recovered, 1 metastable" */
function tallyText(tally: Record<VerdictKind, number>): string {
  return (Object.entries(tally) as [VerdictKind, number][])
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/** "4.2 s", "12 min 23 s" */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.floor(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/**
 * The bar on `bar` (a terminal) when `onTerminal`; otherwise, when `lines` is given, plain lines
 * on its stream; otherwise nothing.
 */
export function checkProgress(bar: ProgressStream, onTerminal: boolean, lines?: ProgressLines): CheckProgress {
  if (onTerminal) return terminalProgress(bar);
  if (lines !== undefined) return lineProgress(lines);
  return NOOP;
}

function terminalProgress(stream: ProgressStream): CheckProgress {
  const bar = singleBar(stream, '  {bar} {value}/{total} cases | {status} | {duration_formatted}');
  const tally: Record<VerdictKind, number> = { recovered: 0, slow: 0, metastable: 0, overloaded: 0 };
  const status = () => tallyText(tally) || 'starting worker threads';
  let tried = 0;
  let smaller = 0;
  let budget = 0;
  let started = false;
  return {
    start(total) {
      bar.start(total, 0, { status: status() });
      started = true;
    },
    judged(verdict) {
      tally[verdict]++;
      bar.increment(1, { status: status() });
    },
    shrinking(b) {
      budget = b;
      bar.update({ status: `found a failure; shrinking it (at most ${b} candidates)` });
    },
    shrinkStep(stillFails) {
      tried++;
      if (stillFails) smaller++;
      bar.update({ status: `shrinking: ${tried}/${budget} candidates judged, ${smaller} smaller failing` });
    },
    done() {},
    stop() {
      if (started) bar.stop();
    },
  };
}

function lineProgress(opts: ProgressLines): CheckProgress {
  const intervalMs = opts.intervalMs ?? PROGRESS_INTERVAL_MS;
  const now = opts.now ?? (() => performance.now());
  const every =
    opts.every ??
    ((ms: number, tick: () => void) => {
      const timer = setInterval(tick, ms);
      timer.unref(); // never keeps the process alive
      return () => clearInterval(timer);
    });
  const tally: Record<VerdictKind, number> = { recovered: 0, slow: 0, metastable: 0, overloaded: 0 };
  let phase: CheckPhase = 'judging';
  let total = 0;
  let judgedCases = 0;
  let tried = 0;
  let smaller = 0;
  let budget = 0;
  const t0 = now(); // the wall time shown is the command's, generating the cases and starting the threads included
  let last = Number.NEGATIVE_INFINITY;
  let stopTicker: (() => void) | undefined;

  const state = () => {
    const counted = tallyText(tally);
    const cases = `${judgedCases}/${total} cases judged${counted === '' ? '' : ` (${counted})`}`;
    if (phase === 'judging') return `judging: ${cases}`;
    return `shrinking: ${tried}/${budget} shrink candidates judged (${smaller} smaller failing); ${cases}`;
  };
  const write = (text: string) => opts.stream.write(`stampede check: ${text}, ${formatElapsed(now() - t0)} elapsed\n`);
  /** a line if the last one is at least the interval old */
  const maybe = () => {
    const t = now();
    if (t - last < intervalMs) return;
    last = t;
    write(state());
  };
  return {
    start(n) {
      total = n;
      maybe();
      // a judgement can take minutes: the ticker shows the run is alive between steps
      if (intervalMs > 0) stopTicker = every(intervalMs, maybe);
    },
    judged(verdict) {
      tally[verdict]++;
      judgedCases++;
      maybe();
    },
    shrinking(b) {
      phase = 'shrinking';
      budget = b;
      maybe();
    },
    shrinkStep(stillFails) {
      tried++;
      if (stillFails) smaller++;
      maybe();
    },
    done(generated, shrinkSteps) {
      const shrunk = shrinkSteps === undefined ? '' : ` and ${shrinkSteps} shrink candidate${shrinkSteps === 1 ? '' : 's'}`;
      write(`done: ${generated} generated case${generated === 1 ? '' : 's'}${shrunk} judged`);
    },
    stop() {
      stopTicker?.();
      stopTicker = undefined;
    },
  };
}
