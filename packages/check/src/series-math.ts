/**
 * Small helpers over a run's sampled series: values in a time window, window
 * averages, counter increases, and a least-squares slope.
 */
import type { Series } from '@stampede/kernel';

export interface Sampled {
  timesMs: Float64Array;
  values: Float64Array;
}

export function seriesByName(series: Series[], name: string): Sampled {
  const s = series.find((x) => x.name === name);
  if (s === undefined) throw new Error(`the run has no series named ${name}`);
  return s;
}

/** Indices of samples with fromMs <= t < toMs. */
export function windowIndices(s: Sampled, fromMs: number, toMs: number): [number, number] {
  let a = 0;
  while (a < s.timesMs.length && s.timesMs[a]! < fromMs) a++;
  let b = a;
  while (b < s.timesMs.length && s.timesMs[b]! < toMs) b++;
  return [a, b];
}

export function windowMean(s: Sampled, fromMs: number, toMs: number): number {
  const [a, b] = windowIndices(s, fromMs, toMs);
  if (b <= a) return Number.NaN;
  let sum = 0;
  for (let i = a; i < b; i++) sum += s.values[i]!;
  return sum / (b - a);
}

export function windowMin(s: Sampled, fromMs: number, toMs: number): number {
  const [a, b] = windowIndices(s, fromMs, toMs);
  let m = Number.POSITIVE_INFINITY;
  for (let i = a; i < b; i++) m = Math.min(m, s.values[i]!);
  return m;
}

/** Value of a cumulative counter at time t (the last sample at or before t; 0 before the first). */
export function counterAt(s: Sampled, tMs: number): number {
  let v = 0;
  for (let i = 0; i < s.timesMs.length && s.timesMs[i]! <= tMs; i++) v = s.values[i]!;
  return v;
}

/** Increase of a cumulative counter per second over [fromMs, toMs]. */
export function ratePerSec(s: Sampled, fromMs: number, toMs: number): number {
  return (counterAt(s, toMs) - counterAt(s, fromMs)) / ((toMs - fromMs) / 1000);
}

/** Least-squares slope of the samples in the window, per minute. */
export function slopePerMin(s: Sampled, fromMs: number, toMs: number): number {
  const [a, b] = windowIndices(s, fromMs, toMs);
  const n = b - a;
  if (n < 2) return 0;
  let st = 0;
  let sv = 0;
  for (let i = a; i < b; i++) {
    st += s.timesMs[i]!;
    sv += s.values[i]!;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (let i = a; i < b; i++) {
    num += (s.timesMs[i]! - mt) * (s.values[i]! - mv);
    den += (s.timesMs[i]! - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}
