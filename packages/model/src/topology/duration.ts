/**
 * Durations in topology files: `45s`, `5m`, `1h30m`, `250ms`, `1.5s`, or a plain number of milliseconds.
 *
 * A topology states times the way an SRE reads them in a runbook or a Kubernetes manifest; the model works in
 * milliseconds (every resolved field ends in `Ms`). Components go from the largest unit to the smallest, each unit at
 * most once (`1h30m`, not `30m1h` or `5m5m`), so a duration has one obvious reading. Negative durations are rejected:
 * no field of the model is a negative time.
 */
import { StampedeInputError } from '@stampede/kernel';

/** The units a duration string may use, in the order they must appear, with their length in milliseconds. */
const UNITS: readonly { unit: string; ms: number }[] = [
  { unit: 'h', ms: 3_600_000 },
  { unit: 'm', ms: 60_000 },
  { unit: 's', ms: 1_000 },
  { unit: 'ms', ms: 1 },
];

/** How error messages name the accepted forms. */
export const DURATION_EXAMPLES = '15s, 5m or 250ms';

// `ms` before `m`: the alternation takes the first branch that matches.
const COMPONENT = /(\d+(?:\.\d+)?|\.\d+)(ms|h|m|s)/y;

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

/**
 * Parses a duration without throwing: the topology schema reports every bad duration of a document at once. The
 * failure message names the value and the accepted forms, e.g. `expected a duration such as 15s, 5m or 250ms, got "fifteen"`.
 */
export function tryParseDuration(value: unknown): DurationResult {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return fail(value, value < 0 ? 'durations cannot be negative' : undefined);
    return { ok: true, ms: value };
  }
  if (typeof value !== 'string') return fail(value);
  const text = value.trim();
  if (text === '') return fail(value);
  let total = 0;
  let at = 0;
  let lastUnit = -1;
  while (at < text.length) {
    COMPONENT.lastIndex = at;
    const m = COMPONENT.exec(text);
    if (m === null) return fail(value, hintFor(text));
    const unitIndex = UNITS.findIndex((u) => u.unit === m[2]);
    if (unitIndex <= lastUnit) return fail(value, 'units go from the largest to the smallest, each at most once, as in 1h30m');
    lastUnit = unitIndex;
    total += Number(m[1]) * UNITS[unitIndex]!.ms;
    at = COMPONENT.lastIndex;
  }
  // 1.1s is 1100.0000000000002 in floating point; no field needs finer than a microsecond.
  return { ok: true, ms: Math.round(total * 1_000) / 1_000 };
}

/** Parses a duration, throwing a StampedeInputError whose message names the value and the accepted forms. */
export function parseDuration(value: string | number): number {
  const r = tryParseDuration(value);
  if (!r.ok) throw new StampedeInputError(r.message);
  return r.ms;
}

/**
 * Formats milliseconds the way a topology writes them, for generated labels and messages: 250 → `250ms`,
 * 1_500 → `1s500ms`, 300_000 → `5m`, 5_400_000 → `1h30m`, 0 → `0s`. `parseDuration(formatDuration(ms)) === ms` for
 * whole milliseconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return String(ms);
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const { unit, ms: size } of UNITS) {
    const n = unit === 'ms' ? Math.round(rest * 1_000) / 1_000 : Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

function hintFor(text: string): string | undefined {
  if (/^-/.test(text)) return 'durations cannot be negative';
  if (/^\d+(\.\d+)?$/.test(text)) return 'a bare number must not be quoted (it means milliseconds), or add a unit';
  if (/\d\s+[a-z]/i.test(text)) return 'write the unit right after the number, without a space';
  if (/\d[a-z]/i.test(text)) return 'units are h, m, s and ms';
  return undefined;
}

function fail(value: unknown, hint?: string): DurationResult {
  const shown =
    typeof value === 'string'
      ? JSON.stringify(value)
      : value === undefined
        ? 'nothing'
        : Array.isArray(value)
          ? 'a list'
          : typeof value === 'object' && value !== null
            ? 'a mapping'
            : String(value);
  return { ok: false, message: `expected a duration such as ${DURATION_EXAMPLES}, got ${shown}${hint ? ` (${hint})` : ''}` };
}
