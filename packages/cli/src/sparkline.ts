/**
 * The connected fraction as a sparkline: one character per simulated minute
 * showing the lowest sample in that minute, on an absolute scale where a full
 * block means "at or above the recovered fraction" (so any dip shows).
 */
import type { Colors } from '@stampede/report';

export const BARS = '▁▂▃▄▅▆▇█';
const MIN = 60_000;

/** Bar index for a fraction: the top bar only at or above `full`, the rest linear below it. */
export function barLevel(fraction: number, full: number): number {
  if (!(fraction < full)) return BARS.length - 1;
  return Math.max(0, Math.min(BARS.length - 2, Math.floor((fraction / full) * (BARS.length - 1))));
}

/**
 * The lowest value per minute of `[0, durationMs)` (minute m covers samples in
 * ((m-1) min, m min]); a minute without samples repeats the previous one
 * (or counts as empty, NaN, before the first sample).
 */
export function perMinuteMinimum(timesMs: ArrayLike<number>, values: ArrayLike<number>, durationMs: number): number[] {
  const minutes = Math.ceil(durationMs / MIN);
  const out = new Array<number>(minutes).fill(Number.NaN);
  for (let i = 0; i < timesMs.length; i++) {
    const m = Math.max(0, Math.ceil(timesMs[i]! / MIN) - 1);
    if (m >= minutes) continue;
    const v = values[i]!;
    if (!(out[m]! <= v)) out[m] = v; // NaN-safe min
  }
  for (let m = 1; m < minutes; m++) if (Number.isNaN(out[m]!)) out[m] = out[m - 1]!;
  return out;
}

/** One character per entry; green at or above `full`, yellow above half of it, red below. */
export function sparkline(perMinute: readonly number[], full: number, colors?: Colors): string {
  let line = '';
  for (const v of perMinute) {
    if (Number.isNaN(v)) {
      line += ' ';
      continue;
    }
    const ch = BARS[barLevel(v, full)]!;
    line += colors === undefined ? ch : v >= full ? colors.green(ch) : v >= full / 2 ? colors.yellow(ch) : colors.red(ch);
  }
  return line;
}
