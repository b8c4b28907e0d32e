/**
 * One axis of a sweep as the user writes it: `PATH=FROM..TO[:STEPS]`, e.g.
 * `timeline[0].pool.maxConnections=300..800:6` or
 * `router.pool.pendingAcquireTimeout=15s..2m:5`.
 *
 * PATH addresses the topology document as written (keys separated by dots,
 * list items as `[N]` or `.N`). FROM and TO are both plain numbers or both
 * durations; STEPS (default 5) counts the values including both ends, evenly
 * spaced. Ends written as whole numbers give whole-number values (`0.0..1`
 * does not; durations: whole seconds when both ends are whole seconds, else
 * whole milliseconds), so
 * rounding may merge neighbours; the duplicates are dropped and a note says so.
 */
import { formatDuration, parseDuration } from '@stampede/model';
import { SweepError } from './sweep-error.ts';

export type PathSegment = string | number;
export type AxisKind = 'number' | 'duration';

export const DEFAULT_STEPS = 5;
export const MAX_STEPS = 100;
export const VARY_SYNTAX = 'PATH=FROM..TO[:STEPS]';
const EXAMPLE = 'e.g. --vary timeline[0].pool.maxConnections=300..800:6 or --vary router.pool.pendingAcquireTimeout=15s..2m:5';

export interface AxisSpec {
  /** the path in canonical form: `timeline[0].pool.maxConnections` */
  path: string;
  segments: PathSegment[];
  kind: AxisKind;
  /** ascending; durations in milliseconds */
  values: number[];
  /** the values as a topology writes them: `559`, `45s` */
  labels: string[];
  /** what rounding did, for the user */
  notes: string[];
}

/** `a.b[0].c` → ['a', 'b', 0, 'c']; `timeline.0.pool` → ['timeline', 0, 'pool']; undefined when it is not a path. */
export function parsePath(text: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  const token = /(?:^|\.)([A-Za-z_][\w-]*|\d+)|\[(\d+)\]/y;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (m === null || (at === 0 && m[0].startsWith('.'))) return undefined; // `^` only matches at 0: later keys need their dot
    const seg = m[1] ?? m[2]!;
    // keys that reach an object's prototype instead of a field: never a topology field, and setting one would change
    // every object in the process
    if (seg === '__proto__' || seg === 'constructor' || seg === 'prototype') return undefined;
    segments.push(/^\d+$/.test(seg) ? Number(seg) : seg);
    at = token.lastIndex;
  }
  return segments.length > 0 && typeof segments[0] === 'string' ? segments : undefined;
}

/** The canonical spelling of a path: keys joined by dots, list indices in brackets. */
export function formatPathSegments(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** How an axis value is written back into the document and shown: durations as `1m30s`, numbers as they are. */
export function formatAxisValue(kind: AxisKind, value: number): string {
  return kind === 'duration' ? formatDuration(value) : String(value);
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

function parseEnd(spec: string, text: string): { kind: AxisKind; value: number } {
  const t = text.trim();
  if (NUMBER.test(t)) return { kind: 'number', value: Number(t) };
  try {
    return { kind: 'duration', value: parseDuration(t) };
  } catch (err) {
    throw new SweepError(`--vary ${JSON.stringify(spec)}: "${t}" is not a number or a duration (${(err as Error).message}); ${EXAMPLE}`);
  }
}

/** Evenly spaced values from `from` to `to`, both included, rounded to a multiple of `grain` (0: not rounded). */
function spaced(from: number, to: number, steps: number, grain: number): number[] {
  const values = Array.from({ length: steps }, (_, i) => (i === steps - 1 ? to : from + ((to - from) * i) / (steps - 1)));
  // without a grain, 12 significant digits: 0.1 + 0.2 is shown as 0.3, not 0.30000000000000004
  return values.map((v) => (grain > 0 ? Math.round(v / grain) * grain : Number(v.toPrecision(12))));
}

/** Parses one `--vary` value; every failure is a one-line SweepError naming the value and the fix. */
export function parseVary(spec: string): AxisSpec {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new SweepError(`--vary ${JSON.stringify(spec)}: expected ${VARY_SYNTAX}, ${EXAMPLE}`);
  const pathText = spec.slice(0, eq).trim();
  const rangeText = spec.slice(eq + 1).trim();
  const segments = parsePath(pathText);
  if (segments === undefined) {
    throw new SweepError(
      `--vary ${JSON.stringify(spec)}: ${JSON.stringify(pathText)} is not a path into the topology; write keys separated by dots and list items as [N], e.g. timeline[0].pool.maxConnections`,
    );
  }
  const m = /^(.+?)\.\.(.+?)(?::([^:]*))?$/.exec(rangeText);
  if (m === null)
    throw new SweepError(
      `--vary ${JSON.stringify(spec)}: expected a range FROM..TO[:STEPS] after "=", got ${JSON.stringify(rangeText)}; ${EXAMPLE}`,
    );
  const from = parseEnd(spec, m[1]!);
  const to = parseEnd(spec, m[2]!);
  if (from.kind !== to.kind) {
    throw new SweepError(
      `--vary ${JSON.stringify(spec)}: both ends must be plain numbers or both durations, got ${m[1]!.trim()} and ${m[2]!.trim()} (a plain number on a duration field means milliseconds)`,
    );
  }
  if (!(from.value < to.value)) {
    throw new SweepError(
      `--vary ${JSON.stringify(spec)}: FROM must be below TO, got ${m[1]!.trim()}..${m[2]!.trim()}${from.value > to.value ? ` (write ${m[2]!.trim()}..${m[1]!.trim()})` : ''}`,
    );
  }
  const stepsText = m[3]?.trim();
  const steps = stepsText === undefined ? DEFAULT_STEPS : /^\d+$/.test(stepsText) ? Number(stepsText) : Number.NaN;
  if (!(steps >= 2 && steps <= MAX_STEPS)) {
    throw new SweepError(
      `--vary ${JSON.stringify(spec)}: STEPS must be a whole number from 2 to ${MAX_STEPS} (the number of values, both ends included), got ${JSON.stringify(stepsText)}`,
    );
  }

  const kind = from.kind;
  const whole = (grain: number) => Number.isInteger(from.value / grain) && Number.isInteger(to.value / grain);
  const writtenWhole = [m[1]!, m[2]!].every((t) => /^[-+]?\d+$/.test(t.trim()));
  const grain = kind === 'duration' ? (whole(1_000) ? 1_000 : whole(1) ? 1 : 0) : writtenWhole ? 1 : 0;
  const all = spaced(from.value, to.value, steps, grain);
  const values = [...new Set(all)];
  const labels = values.map((v) => formatAxisValue(kind, v));
  const path = formatPathSegments(segments);
  const notes =
    values.length < all.length
      ? [
          `${path}: ${steps} steps from ${labels[0]} to ${labels[labels.length - 1]} round to ${values.length} distinct ${grain === 1_000 ? 'whole-second' : 'whole'} values (${labels.join(', ')}); the ${all.length - values.length} duplicate${all.length - values.length === 1 ? '' : 's'} dropped${kind === 'number' ? ` (for fractional values write the ends with a decimal point, e.g. ${from.value}.0..${to.value})` : ''}`,
        ]
      : [];
  return { path, segments, kind, values, labels, notes };
}
