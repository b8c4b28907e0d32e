/**
 * A sweep's plan: the topology document with one or two fields set to each
 * of their values, every combination (a cell) resolved and validated before
 * anything runs, and the file's own setting of each field.
 *
 * Values are written into the document as the user wrote it (the YAML parsed
 * into plain data, `readTopologyYaml`), then the whole document is resolved
 * again by the topology schema: a wrong path or value gets the loader's own
 * message (an unknown key with its did-you-mean), and a field means what it
 * means in a file, defaults and all.
 *
 * Gotcha the plan refuses: a router rollout event whose `pool` sets a key
 * overrides `router.pool.<key>` for every pod after the rollout, the pods the
 * storm hits, so sweeping `router.pool.<key>` would map a parameter with no
 * effect on the outcome; the message names `timeline[N].pool.<key>` instead.
 */
import { didYouMean, type PlatformParams, parseDuration, parseTopology } from '@stampede/model';
import { copyDocument, rolloutPoolOverrides, setPath } from './document-edit.ts';
import { isMapping } from './file-values.ts';
import { type AxisKind, type AxisSpec, formatAxisValue, formatPathSegments, type PathSegment } from './sweep-axis.ts';
import { SweepError } from './sweep-error.ts';

export interface SweepAxis {
  /** canonical path into the topology document: `timeline[0].pool.maxConnections` */
  path: string;
  kind: AxisKind;
  /** ascending; durations in milliseconds */
  values: number[];
  /** the values as a topology writes them: `559`, `45s` */
  labels: string[];
  /** the file's own setting: as written there, or the default when the file leaves it out; null if neither exists */
  own: { value: number; label: string; from: 'file' | 'default' } | null;
}

export interface SweepPlan {
  /** the topology's name */
  name: string;
  axes: SweepAxis[];
  /** the resolved topology of every cell, by cell index (the first axis varies fastest) */
  cells: PlatformParams[];
  /** what rounding the values did, for the user */
  notes: string[];
}

export const MAX_AXES = 2;

const describe = (v: unknown): string =>
  Array.isArray(v) ? 'a list' : isMapping(v) ? 'a mapping' : typeof v === 'string' ? JSON.stringify(v) : String(v);

/** Checks that `segments` can be set in `doc` (creating missing mappings on the way); returns the value there now. */
function checkPath(doc: unknown, segments: readonly PathSegment[]): unknown {
  let v: unknown = doc;
  // the mapping that lacked the previous key, to suggest the list the user meant
  let missingIn: { mapping: Record<string, unknown>; key: string } | undefined;
  for (const [i, seg] of segments.entries()) {
    const where = i === 0 ? 'the document' : formatPathSegments(segments.slice(0, i));
    const path = formatPathSegments(segments);
    if (v === undefined) {
      if (typeof seg === 'number') {
        const lists = missingIn === undefined ? [] : Object.keys(missingIn.mapping).filter((k) => Array.isArray(missingIn!.mapping[k]));
        const guess = missingIn === undefined ? undefined : didYouMean(missingIn.key, lists);
        throw new SweepError(
          `--vary ${path}: ${where} is not in the file, so it has no item [${seg}]; ${guess === undefined ? 'vary a field the file has' : `did you mean ${guess}[${seg}]?`}`,
        );
      }
      return undefined; // missing mappings are created; the schema then says whether the key exists
    }
    if (typeof seg === 'number') {
      if (!Array.isArray(v)) throw new SweepError(`--vary ${path}: ${where} is ${describe(v)}, not a list; [${seg}] only indexes a list`);
      if (seg >= v.length)
        throw new SweepError(
          `--vary ${path}: ${where} has ${v.length} item${v.length === 1 ? '' : 's'}${v.length > 0 ? ` ([0] to [${v.length - 1}])` : ''}, so there is no [${seg}]`,
        );
      v = v[seg];
    } else {
      if (!isMapping(v)) {
        throw new SweepError(
          `--vary ${path}: ${where} is ${describe(v)}${Array.isArray(v) ? `; pick an item first, e.g. ${where}[0].${seg}` : ', not a mapping with keys'}`,
        );
      }
      if (!Object.hasOwn(v, seg)) missingIn = { mapping: v, key: seg };
      v = Object.hasOwn(v, seg) ? v[seg] : undefined;
    }
  }
  const path = formatPathSegments(segments);
  if (Array.isArray(v) || isMapping(v))
    throw new SweepError(`--vary ${path}: that is ${describe(v)} in the file, not a number or a duration; name one of its fields`);
  return v; // any other value (`25%`, `fixed`): the schema says whether a number or a duration fits there
}

function durationMs(v: string): number | undefined {
  try {
    return parseDuration(v);
  } catch {
    return undefined;
  }
}

/** `router.pool.<key>` overridden by a router rollout's pool: refuse, naming the field to vary instead. */
function checkOverride(doc: unknown, segments: readonly PathSegment[]): void {
  if (segments.length !== 3 || segments[0] !== 'router' || segments[1] !== 'pool') return;
  const key = String(segments[2]);
  const overriding = rolloutPoolOverrides(doc, key);
  if (overriding.length === 0) return;
  const first = overriding[0]!;
  const more =
    overriding.length > 1
      ? ` (and ${overriding
          .slice(1)
          .map((o) => `timeline[${o.index}].pool.${key}`)
          .join(', ')})`
      : '';
  throw new SweepError(
    `--vary router.pool.${key}: the router rollout timeline[${first.index}] (at ${String(first.at)}) sets pool.${key}: ${String(first.value)} for every pod it starts, so router.pool.${key} does not reach the pods the storm hits; vary timeline[${first.index}].pool.${key}${more} instead`,
  );
}

/** Numeric leaves of the resolved params that differ between `a` and `b`, as paths. */
function numericDiff(a: unknown, b: unknown, path: PathSegment[] = []): PathSegment[][] {
  if (typeof a === 'number' || typeof b === 'number') return a === b ? [] : [path];
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return [];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((k) =>
    numericDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, Array.isArray(a) ? Number(k) : k]),
  );
}

function valueAt(v: unknown, path: readonly PathSegment[]): unknown {
  for (const seg of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

/** The cell index of `coords`, and back; the first axis varies fastest. */
export function cellIndex(coords: readonly number[], sizes: readonly number[]): number {
  return coords.reduceRight((acc, c, i) => acc * sizes[i]! + c, 0);
}

export function cellCoords(index: number, sizes: readonly number[]): number[] {
  return sizes.map((n) => {
    const c = index % n;
    index = Math.floor(index / n);
    return c;
  });
}

/** One or two axes (a line or a grid), else a SweepError saying so. */
export function checkAxisCount(count: number): void {
  if (count < 1 || count > MAX_AXES) {
    throw new SweepError(
      `a sweep varies one or two fields (a line or a grid), got ${count} --vary option${count === 1 ? '' : 's'}; e.g. --vary timeline[0].pool.maxConnections=300..800:6 --vary router.pool.pendingAcquireTimeout=15s..2m:5`,
    );
  }
}

/**
 * Plans a sweep of `document` (the topology as written, `readTopologyYaml`) over one or two axes; `source` names the
 * file in errors. Throws SweepError for a bad sweep and the loader's TopologyError for a value the schema rejects,
 * both before any simulation.
 */
export function planSweep(document: unknown, source: string, specs: readonly AxisSpec[]): SweepPlan {
  checkAxisCount(specs.length);
  if (specs.length === 2 && specs[0]!.path === specs[1]!.path)
    throw new SweepError(`--vary ${specs[0]!.path} is given twice; vary two different fields, or one field with more STEPS`);
  const base = parseTopology(document, source);
  const current = specs.map((s) => checkPath(document, s.segments));
  for (const s of specs) checkOverride(document, s.segments);

  const sizes = specs.map((s) => s.values.length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const cellOf = (coords: readonly number[]): PlatformParams => {
    const doc = copyDocument(document);
    specs.forEach((s, i) => {
      setPath(doc, s.segments, s.kind === 'duration' ? formatAxisValue('duration', s.values[coords[i]!]!) : s.values[coords[i]!]);
    });
    const what = specs.map((s, i) => `${s.path}=${s.labels[coords[i]!]}`).join(', ');
    return parseTopology(doc, `${source} with ${what}`);
  };
  const cells = Array.from({ length: total }, (_, index) => cellOf(cellCoords(index, sizes)));

  const axes = specs.map((s, i): SweepAxis => {
    const lowCoords = sizes.map(() => 0);
    const highCoords = lowCoords.map((c, j) => (j === i ? sizes[i]! - 1 : c));
    const low = cells[cellIndex(lowCoords, sizes)]!;
    const high = cells[cellIndex(highCoords, sizes)]!;
    const changed = numericDiff(low, high);
    if (changed.length === 0) {
      throw new SweepError(
        `--vary ${s.path}: setting it from ${s.labels[0]} to ${s.labels[s.labels.length - 1]} changes nothing in the topology that runs; vary a field that is in effect`,
      );
    }
    return { path: s.path, kind: s.kind, values: s.values, labels: s.labels, own: ownSetting(s, current[i], base, low, high, changed[0]!) };
  });
  return { name: base.name, axes, cells, notes: specs.flatMap((s) => s.notes) };
}

/**
 * The file's own value at the axis path: as written, or else the default, read off the resolved params at the
 * field the axis moves (`changed`), converted to the axis's unit by the two sweep ends (seconds vs milliseconds).
 */
function ownSetting(
  spec: AxisSpec,
  written: unknown,
  base: PlatformParams,
  low: PlatformParams,
  high: PlatformParams,
  changed: PathSegment[],
): SweepAxis['own'] {
  const own = (value: number, from: 'file' | 'default') => ({ value, label: formatAxisValue(spec.kind, value), from });
  if (typeof written === 'number') return own(written, 'file');
  const writtenMs = typeof written === 'string' ? durationMs(written) : undefined;
  if (writtenMs !== undefined) return own(writtenMs, 'file');
  if (written !== undefined && written !== null) return null; // e.g. maxSurge "25%" swept as pod counts: not on the axis
  let resolved = valueAt(base, changed);
  // a rollout's pool without this key: its pods take the key from router.pool
  if (resolved === undefined && changed[0] === 'timeline' && changed[2] === 'pool')
    resolved = valueAt(base, ['router', 'pool', ...changed.slice(3)]);
  const lo = valueAt(low, changed);
  const hi = valueAt(high, changed);
  if (typeof resolved !== 'number' || typeof lo !== 'number' || typeof hi !== 'number' || lo === hi) return null;
  const first = spec.values[0]!;
  const last = spec.values[spec.values.length - 1]!;
  return own(Number((first + ((resolved - lo) * (last - first)) / (hi - lo)).toPrecision(12)), 'default');
}
