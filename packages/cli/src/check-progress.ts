/**
 * The progress line of `stampede check`, drawn only on a terminal: cases
 * judged out of the total with a running tally of verdicts, then the
 * shrinking of a counterexample (candidates tried, smaller failures found).
 */
import type { VerdictKind } from '@stampede/check';
import { type ProgressStream, singleBar } from './progress.ts';

export interface CheckProgress {
  start(total: number): void;
  judged(verdict: VerdictKind): void;
  shrinking(): void;
  shrinkStep(stillFails: boolean): void;
  stop(): void;
}

export function checkProgress(stream: ProgressStream, enabled = stream.isTTY === true): CheckProgress {
  if (!enabled) return { start() {}, judged() {}, shrinking() {}, shrinkStep() {}, stop() {} };
  const bar = singleBar(stream, '  {bar} {value}/{total} cases | {status} | {duration_formatted}');
  const tally: Record<VerdictKind, number> = { recovered: 0, slow: 0, metastable: 0, overloaded: 0 };
  const status = () =>
    (Object.entries(tally) as [VerdictKind, number][])
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'starting worker threads';
  let tried = 0;
  let smaller = 0;
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
    shrinking() {
      bar.update({ status: 'found a failure; shrinking it' });
    },
    shrinkStep(stillFails) {
      tried++;
      if (stillFails) smaller++;
      bar.update({ status: `shrinking: ${tried} candidates judged, ${smaller} smaller failing` });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
