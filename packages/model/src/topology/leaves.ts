/**
 * Leaves: each accepts `unknown` and either returns the resolved value or one `expected …, got …` message.
 */
import { z } from 'zod';
import type { IntOrPercent } from '../kube/rolling-update.ts';
import { describedLeaf, type LeafInfo } from './described.ts';
import { formatDuration, tryParseDuration } from './duration.ts';
import { didYouMean, expected, listOr, quote } from './messages.ts';

/** A duration as a topology writes it: `45s`, `5m`, `1h30m`, `250ms`, or a plain number of milliseconds. */
export type Duration = string | number;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A leaf typed `In` for TypeScript users, checked at run time by `parse` (YAML gives it anything); `info` says what it
 * accepts, for the field reference.
 */
export function leaf<In, Out = In>(info: LeafInfo, parse: (v: unknown) => Parsed<Out>) {
  return describedLeaf(
    z.custom<In>().transform((v, ctx): Out => {
      const r = parse(v);
      if (r.ok) return r.value;
      ctx.issues.push({ code: 'custom', message: r.message, input: v });
      return z.NEVER;
    }),
    info,
  );
}

export function simple<T>(info: LeafInfo, what: string, test: (v: unknown) => boolean) {
  return leaf<T>(info, (v) => (test(v) ? { ok: true, value: v as T } : { ok: false, message: expected(what, v) }));
}

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const fraction = simple<number>(
  { type: 'number', accepts: '0 … 1', min: 0, max: 1 },
  'a number from 0 to 1',
  (v) => isFiniteNumber(v) && v >= 0 && v <= 1,
);
export const utilization = simple<number>(
  { type: 'number', accepts: 'above 0, at most 1', min: 0, max: 1 },
  'a number above 0 and at most 1',
  (v) => isFiniteNumber(v) && v > 0 && v <= 1,
);
export const bool = simple<boolean>({ type: 'boolean', accepts: 'true | false' }, 'true or false', (v) => typeof v === 'boolean');
export const text = simple<string>({ type: 'string', accepts: 'any text' }, 'a string', (v) => typeof v === 'string');
export const nonEmptyText = simple<string>(
  { type: 'string', accepts: 'non-empty text' },
  'a non-empty string',
  (v) => typeof v === 'string' && v.trim() !== '',
);

export function oneOf<const T extends string>(values: readonly T[]) {
  return leaf<T>({ type: 'choice', accepts: values.join(' | '), values }, (v) => {
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return { ok: true, value: v as T };
    const guess = typeof v === 'string' ? didYouMean(v, values) : undefined;
    const hint = guess !== undefined ? ` (did you mean ${quote(guess)}?)` : '';
    return { ok: false, message: expected(values.length === 1 ? quote(values[0]!) : `one of ${listOr(values.map(quote))}`, v) + hint };
  });
}

/**
 * What the model supports for one numeric field, and why: a value of the right kind outside `[min, max]` is one issue,
 * `expected a duration from 1s to 1h (the heartbeat period), got 5h`. The bounds are documented here, beside the
 * field, in the schema sections (sections.ts, reconnect.ts, timeline.ts, schema.ts); `why` goes into the message.
 */
export interface Range {
  min: number;
  max: number;
  why: string;
}

function outOfRange(what: string, r: Range, v: unknown, show: (n: number) => string, hint?: string): string {
  return expected(`${what} from ${show(r.min)} to ${show(r.max)} (${r.why}${hint !== undefined ? `; ${hint}` : ''})`, v);
}

/**
 * An integer in its range. Any number outside it (0, -5, 2.5, 1e9) gets the range with its reason; a value of another
 * kind (a string, null) gets the plain `a positive integer` message.
 */
export function int(base: 0 | 1, range: Omit<Range, 'min'> & { min?: number }) {
  const r: Range = { min: range.min ?? base, ...range };
  const kind = base === 1 ? 'a positive integer' : 'a non-negative integer';
  return leaf<number>({ type: 'integer', accepts: `${r.min} … ${r.max}`, ...r }, (v) => {
    if (!isFiniteNumber(v)) return { ok: false, message: expected(kind, v) };
    if (!Number.isSafeInteger(v) || v < r.min || v > r.max) return { ok: false, message: outOfRange('an integer', r, v, String) };
    return { ok: true, value: v as number };
  });
}

/** A finite number in `[min, max]`; `exclusiveMin` for a factor or a rate that zero would break. */
export function num(range: Range & { exclusiveMin?: boolean }) {
  const kind = range.exclusiveMin ? 'a positive number' : 'a non-negative number';
  const accepts = `${range.exclusiveMin ? 'above ' : ''}${range.min} … ${range.max}`;
  return leaf<number>({ type: 'number', accepts, why: range.why, min: range.min, max: range.max }, (v) => {
    if (!isFiniteNumber(v)) return { ok: false, message: expected(kind, v) };
    if (v < range.min || (range.exclusiveMin && v <= range.min) || v > range.max) {
      const what = range.exclusiveMin
        ? `a number above ${range.min} and at most ${range.max}`
        : `a number from ${range.min} to ${range.max}`;
      return { ok: false, message: expected(`${what} (${range.why})`, v) };
    }
    return { ok: true, value: v };
  });
}

/**
 * A duration in milliseconds in `[min, max]`. `min: 0` allows zero; a positive `min` is where zero (or a sliver of a
 * millisecond) would make an actor loop. A bare number is milliseconds, so `heartbeatInterval: 50` below a range that
 * starts at seconds gets `did you mean 50s?`.
 */
export function duration(range: Range) {
  const accepts = `${formatDuration(range.min)} … ${formatDuration(range.max)}`;
  return leaf<Duration, number>({ type: 'duration', accepts, ...range }, (v) => {
    const r = tryParseDuration(v);
    if (!r.ok) return r;
    if (r.ms < range.min || r.ms > range.max) {
      let hint: string | undefined;
      if (typeof v === 'number' && v > 0 && r.ms < range.min && range.min >= 1_000) {
        const asSeconds = v * 1_000;
        hint =
          asSeconds >= range.min && asSeconds <= range.max
            ? `a bare number is milliseconds: did you mean ${v}s?`
            : 'a bare number is milliseconds';
      }
      return { ok: false, message: outOfRange('a duration', range, v, formatDuration, hint) };
    }
    return { ok: true, value: r.ms };
  });
}

/** maxSurge / maxUnavailable: a pod count or a whole-number percentage, as the Kubernetes API server accepts them. */
export const MAX_POD_COUNT = 1_000;
export const intOrPercent = leaf<IntOrPercent>({ type: 'pods or percent', accepts: `0 … ${MAX_POD_COUNT} pods, or "0%" … "100%"` }, (v) => {
  if (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_POD_COUNT) return { ok: true, value: v as number };
  if (isFiniteNumber(v) && v > MAX_POD_COUNT)
    return {
      ok: false,
      message: expected(
        `a pod count from 0 to ${MAX_POD_COUNT} (no deployment of the model has more pods) or a whole percentage from 0% to 100%`,
        v,
      ),
    };
  const m = typeof v === 'string' ? /^\s*(\d{1,3})%\s*$/.exec(v) : null;
  if (m !== null && Number(m[1]) <= 100) return { ok: true, value: `${Number(m[1])}%` };
  return { ok: false, message: expected('a pod count or a whole percentage from 0% to 100%, such as 1 or "25%"', v) };
});
