/**
 * Shards: one sweep split over machines by an existing runner (a CI matrix, a
 * Kubernetes Indexed Job). Shard I of N runs the cells whose index ≡ I−1
 * (mod N): interleaved, so the expensive corner of a grid (unsafe cells run
 * the oracle's control run too) is spread over all shards rather than landing
 * on one. A shard file carries the sweep's definition and its cells; merging
 * checks that the shards belong to one sweep and cover every cell exactly
 * once, then builds the same result as one unsharded run.
 */

import { isMapping, showFound } from './file-values.ts';
import { SUSTAINING_LOOPS, VERDICT_KINDS } from './oracle.ts';
import { cellCoords, cellIndex, MAX_AXES } from './sweep.ts';
import { MAX_STEPS } from './sweep-axis.ts';
import type { SweepCell } from './sweep-cell.ts';
import { SweepError } from './sweep-error.ts';
import { assembleSweep, cellCountOf, SWEEP_FORMAT, type SweepDefinition, type SweepResult } from './sweep-result.ts';

export const SHARD_FORMAT = 'stampede-sweep-shard';
/** 2: cells carry their severity (minConnectedFraction, peakPendingAcquires, routersAdded) */
export const SHARD_FORMAT_VERSION = 3;

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

export interface SweepShard {
  format: typeof SHARD_FORMAT;
  version: typeof SHARD_FORMAT_VERSION;
  shard: ShardSpec;
  sweep: SweepDefinition;
  cells: SweepCell[];
}

/** `--shard I/N`: a SweepError naming the value and the form otherwise. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(count) && count >= 1 && index >= 1 && index <= count)) {
    throw new SweepError(
      `--shard ${JSON.stringify(text)}: expected I/N with 1 ≤ I ≤ N, e.g. --shard 2/4 for the second of four shards (in a CI matrix or a Kubernetes Indexed Job, I is the job's index + 1)`,
    );
  }
  return { index, count };
}

/** The cells shard `shard` runs out of `cellCount`; a SweepError when there are more shards than cells. */
export function shardCellIndices(cellCount: number, shard: ShardSpec): number[] {
  if (shard.count > cellCount)
    throw new SweepError(`--shard ${shard.index}/${shard.count}: the sweep has only ${cellCount} cells; use at most ${cellCount} shards`);
  return roundRobin(cellCount, shard);
}

/** The indices shard I of N takes out of `count` items: those ≡ I−1 (mod N), so that every shard gets a fair mix. */
export function roundRobin(count: number, shard: ShardSpec): number[] {
  return Array.from({ length: count }, (_, i) => i).filter((i) => i % shard.count === shard.index - 1);
}

export const shardFileName = (shard: ShardSpec): string => `shard-${shard.index}-of-${shard.count}.json`;

export function makeShard(definition: SweepDefinition, shard: ShardSpec, cells: readonly SweepCell[]): SweepShard {
  return {
    format: SHARD_FORMAT,
    version: SHARD_FORMAT_VERSION,
    shard: { index: shard.index, count: shard.count },
    sweep: definition,
    cells: [...cells].sort((a, b) => a.index - b.index),
  };
}

const HINT = 'pass the shard-I-of-N.json files that stampede sweep --shard I/N wrote';

/**
 * Every problem of a parsed shard file, each as `path: expected …, got …`, in document order (as the topology
 * loader reports a topology file); empty when `data` is a well-formed shard. A shard file is input: a damaged
 * or hand-edited one must not write `undefined` into sweep.csv nor make merge loop over 2^53 shards.
 */
export function shardIssues(data: unknown): string[] {
  const issues: string[] = [];
  const expect = (path: string, what: string, v: unknown) => issues.push(`${path}: expected ${what}, got ${showFound(v)}`);
  const int = (path: string, v: unknown, min: number, max: number, what = 'a whole number'): v is number => {
    const ok = Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
    if (!ok) expect(path, `${what} from ${min} to ${max}`, v);
    return ok;
  };
  const str = (path: string, v: unknown): v is string => {
    if (typeof v !== 'string') expect(path, 'a string', v);
    return typeof v === 'string';
  };
  if (!isMapping(data)) {
    expect('(top level)', 'a JSON object', data);
    return issues;
  }
  // the sweep first: its axes bound the shard count and the cells' coordinates
  const sweep = data.sweep;
  let sizes: number[] | undefined;
  if (!isMapping(sweep)) expect('sweep', 'a mapping (the sweep definition)', sweep);
  else {
    if (typeof sweep.fingerprint !== 'string' || sweep.fingerprint === '')
      expect('sweep.fingerprint', 'a non-empty string (sha256:…)', sweep.fingerprint);
    int('sweep.seed', sweep.seed, 0, 0xffff_ffff, 'a seed');
    if (!isMapping(sweep.topology)) expect('sweep.topology', 'a mapping with name and file', sweep.topology);
    else {
      str('sweep.topology.name', sweep.topology.name);
      str('sweep.topology.file', sweep.topology.file);
    }
    const axes = sweep.axes;
    if (!Array.isArray(axes) || axes.length < 1 || axes.length > MAX_AXES) expect('sweep.axes', `a list of 1 to ${MAX_AXES} axes`, axes);
    else {
      const axisSizes: (number | undefined)[] = axes.map((a: unknown, i) => {
        const at = `sweep.axes[${i}]`;
        if (!isMapping(a)) {
          expect(at, 'a mapping (path, kind, values, labels, own)', a);
          return undefined;
        }
        str(`${at}.path`, a.path);
        if (a.kind !== 'number' && a.kind !== 'duration') expect(`${at}.kind`, '"number" or "duration"', a.kind);
        let n: number | undefined;
        if (!Array.isArray(a.values) || a.values.length < 1 || a.values.length > MAX_STEPS)
          expect(`${at}.values`, `a list of 1 to ${MAX_STEPS} numbers`, a.values);
        else {
          const bad = a.values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
          if (bad >= 0) expect(`${at}.values[${bad}]`, 'a finite number', a.values[bad]);
          else n = a.values.length;
        }
        if (!Array.isArray(a.labels) || (n !== undefined && a.labels.length !== n))
          expect(`${at}.labels`, `a list of ${n ?? 'as many'} strings (one per value)`, a.labels);
        else {
          const bad = a.labels.findIndex((l) => typeof l !== 'string');
          if (bad >= 0) expect(`${at}.labels[${bad}]`, 'a string', a.labels[bad]);
        }
        if (a.own !== null) {
          if (!isMapping(a.own)) expect(`${at}.own`, 'null or a mapping (value, label, from)', a.own);
          else {
            if (typeof a.own.value !== 'number' || !Number.isFinite(a.own.value)) expect(`${at}.own.value`, 'a finite number', a.own.value);
            str(`${at}.own.label`, a.own.label);
            if (a.own.from !== 'file' && a.own.from !== 'default') expect(`${at}.own.from`, '"file" or "default"', a.own.from);
          }
        }
        return n;
      });
      if (axisSizes.every((n) => n !== undefined)) sizes = axisSizes as number[];
    }
  }
  const total = sizes === undefined ? undefined : sizes.reduce((a, b) => a * b, 1);
  const shard = data.shard;
  if (!isMapping(shard)) expect('shard', 'a mapping with index and count', shard);
  else {
    // at most one shard per cell: a count of 2^53 is a damaged file, not a plan
    const countOk = int('shard.count', shard.count, 1, total ?? Number.MAX_SAFE_INTEGER, 'a shard count (at most one per cell)');
    int('shard.index', shard.index, 1, countOk ? (shard.count as number) : Number.MAX_SAFE_INTEGER, 'a shard number');
  }
  const cells = data.cells;
  if (!Array.isArray(cells)) expect('cells', 'a list of cells', cells);
  else if (total !== undefined && cells.length > total) expect('cells', `at most ${total} cells (the sweep's grid)`, cells);
  else {
    for (const [i, c] of cells.entries()) {
      const at = `cells[${i}]`;
      if (!isMapping(c)) {
        expect(at, 'a mapping (index, coords, verdict, …)', c);
        continue;
      }
      const indexOk = int(`${at}.index`, c.index, 0, total === undefined ? Number.MAX_SAFE_INTEGER : total - 1, 'a cell index');
      if (!Array.isArray(c.coords) || (sizes !== undefined && c.coords.length !== sizes.length))
        expect(`${at}.coords`, `a list of ${sizes?.length ?? 'one or two'} whole numbers (one per axis)`, c.coords);
      else if (sizes !== undefined) {
        const coordsOk = c.coords.every((x: unknown, k) =>
          int(`${at}.coords[${k}]`, x, 0, sizes[k]! - 1, `an index into sweep.axes[${k}].values`),
        );
        if (coordsOk && indexOk && cellIndex(c.coords as number[], sizes) !== c.index)
          expect(
            `${at}.coords`,
            `the coordinates of cell ${String(c.index)}, [${cellCoords(c.index as number, sizes).join(', ')}]`,
            `[${c.coords.join(', ')}]`,
          );
      }
      if (!(VERDICT_KINDS as readonly unknown[]).includes(c.verdict))
        expect(`${at}.verdict`, VERDICT_KINDS.map((v) => `"${v}"`).join(', '), c.verdict);
      if (
        c.timeToRecoverSec !== null &&
        (typeof c.timeToRecoverSec !== 'number' || !(c.timeToRecoverSec >= 0) || !Number.isFinite(c.timeToRecoverSec))
      )
        expect(`${at}.timeToRecoverSec`, 'null or a number of seconds, at least 0', c.timeToRecoverSec);
      if (typeof c.storm !== 'boolean') expect(`${at}.storm`, 'true or false', c.storm);
      if (
        c.timeToRecoverFromStormSec !== null &&
        (typeof c.timeToRecoverFromStormSec !== 'number' ||
          !(c.timeToRecoverFromStormSec >= 0) ||
          !Number.isFinite(c.timeToRecoverFromStormSec))
      )
        expect(`${at}.timeToRecoverFromStormSec`, 'null or a number of seconds, at least 0', c.timeToRecoverFromStormSec);
      if (!(SUSTAINING_LOOPS as readonly unknown[]).includes(c.dominantLoop))
        expect(`${at}.dominantLoop`, SUSTAINING_LOOPS.map((v) => `"${v}"`).join(', '), c.dominantLoop);
      str(`${at}.traceHash`, c.traceHash);
      str(`${at}.evidence`, c.evidence);
      if (typeof c.minConnectedFraction !== 'number' || !(c.minConnectedFraction >= 0 && c.minConnectedFraction <= 1))
        expect(`${at}.minConnectedFraction`, 'a fraction from 0 to 1', c.minConnectedFraction);
      for (const key of ['peakPendingAcquires', 'routersAdded'] as const)
        int(`${at}.${key}`, c[key], 0, Number.MAX_SAFE_INTEGER, 'a whole number, at least 0');
    }
  }
  return issues;
}

/** The shard in `data` (a parsed file), or a SweepError saying what `name` is instead, with every problem. */
function readShard(name: string, data: unknown): SweepShard {
  const bad = (what: string) => new SweepError(`${name}: ${what}; ${HINT}`);
  if (!isMapping(data)) throw bad('not a sweep shard (expected a JSON object)');
  if (data.format === SWEEP_FORMAT) throw bad('this is a whole sweep result (sweep.json), not a shard');
  if (data.format !== SHARD_FORMAT) throw bad(`not a sweep shard (no "format": "${SHARD_FORMAT}")`);
  if (data.version !== SHARD_FORMAT_VERSION)
    throw bad(
      `shard format version ${String(data.version)}, this stampede reads version ${SHARD_FORMAT_VERSION}: rerun the shard with this version`,
    );
  const issues = shardIssues(data);
  if (issues.length > 0) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    throw new SweepError(`${name}: a damaged shard file, ${count} (${HINT}):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
  return data as unknown as SweepShard;
}

/** How two sweep definitions differ, in the user's terms. */
export function sweepDifference(a: SweepDefinition, b: SweepDefinition): string {
  if (a.seed !== b.seed) return `seed ${b.seed} vs ${a.seed}`;
  const axes = (d: SweepDefinition) =>
    d.axes.map((x) => `${x.path}=${x.labels?.[0] ?? x.values[0]}..${x.labels?.at(-1) ?? x.values.at(-1)}:${x.values.length}`).join(' ');
  if (axes(a) !== axes(b)) return `--vary ${axes(b)} vs ${axes(a)}`;
  if (a.topology.name !== b.topology.name) return `topology ${b.topology.name} vs ${a.topology.name}`;
  return 'the topology file content or the stampede version differs';
}

const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * Joins shard files (`name` for messages, `data` the parsed JSON) into the sweep's result. Throws a SweepError when
 * a file is not a shard, when shards of different sweeps or different N are mixed, or when a shard is missing, given
 * twice or incomplete; the message names the files and shards.
 */
export function mergeShards(files: readonly { name: string; data: unknown }[]): SweepResult {
  if (files.length === 0) throw new SweepError('no shard files given; pass every shard-I-of-N.json of one sweep');
  const shards = files.map((f) => ({ name: f.name, shard: readShard(f.name, f.data) }));
  const ref = [...shards].sort((a, b) => a.shard.shard.index - b.shard.shard.index)[0]!;
  for (const s of shards) {
    if (s.shard.sweep.fingerprint !== ref.shard.sweep.fingerprint) {
      throw new SweepError(
        `${s.name} is not a shard of the same sweep as ${ref.name}: ${sweepDifference(ref.shard.sweep, s.shard.sweep)}; merge the shards of one sweep (same file, --vary and --seed)`,
      );
    }
    if (JSON.stringify(s.shard.sweep.axes) !== JSON.stringify(ref.shard.sweep.axes)) {
      throw new SweepError(
        `${s.name} has the fingerprint of ${ref.name} but other axes (${sweepDifference(ref.shard.sweep, s.shard.sweep)}): a damaged shard file; rerun that shard`,
      );
    }
    if (s.shard.shard.count !== ref.shard.shard.count) {
      throw new SweepError(
        `${s.name} is shard ${s.shard.shard.index}/${s.shard.shard.count} but ${ref.name} is shard ${ref.shard.shard.index}/${ref.shard.shard.count}: the shards of one sweep all use the same N in --shard I/N`,
      );
    }
  }
  const count = ref.shard.shard.count;
  const total = cellCountOf(ref.shard.sweep.axes);
  const problems: string[] = [];
  for (let index = 1; index <= count; index++) {
    const given = shards.filter((s) => s.shard.shard.index === index);
    if (given.length > 1) problems.push(`shard ${index}/${count} is given ${given.length} times (${list(given.map((s) => s.name))})`);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !shards.some((s) => s.shard.shard.index === i));
  if (missing.length > 0) {
    const cells = (i: number) => shardCellIndices(total, { index: i, count }).join(', ');
    problems.push(
      `missing shard${missing.length === 1 ? '' : 's'} ${list(missing.map((i) => `${i}/${count} (cells ${cells(i)})`))}: run ${missing.length === 1 ? 'it' : 'them'} with --shard I/${count} and pass ${missing.length === 1 ? 'its file' : 'their files'} too`,
    );
  }
  for (const s of shards) {
    const expected = shardCellIndices(total, s.shard.shard).join(', ');
    const held = s.shard.cells.map((c) => c.index).join(', ');
    if (expected !== held)
      problems.push(
        `${s.name} should hold cells ${expected} of shard ${s.shard.shard.index}/${count} but holds ${held || 'none'}: rerun that shard`,
      );
  }
  if (problems.length > 0) throw new SweepError(`cannot merge: ${problems.join('; ')}`);
  return assembleSweep(
    ref.shard.sweep,
    shards.flatMap((s) => s.shard.cells),
  );
}
