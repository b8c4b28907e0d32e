/**
 * Shards: one sweep split over machines by an existing runner (a CI matrix, a
 * Kubernetes Indexed Job). Shard I of N runs the cells whose index ≡ I−1
 * (mod N): interleaved, so the expensive corner of a grid (unsafe cells run
 * the oracle's control run too) is spread over all shards rather than landing
 * on one. A shard file carries the sweep's definition and its cells; merging
 * checks that the shards belong to one sweep and cover every cell exactly
 * once, then builds the same result as one unsharded run.
 */
import type { VerdictKind } from './oracle.ts';
import { type SweepCell, UNSAFE_VERDICTS } from './sweep-cell.ts';
import { SweepError } from './sweep-error.ts';
import { assembleSweep, cellCountOf, SWEEP_FORMAT, type SweepDefinition, type SweepResult } from './sweep-result.ts';

export const SHARD_FORMAT = 'stampede-sweep-shard';
export const SHARD_FORMAT_VERSION = 1;

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
  return Array.from({ length: cellCount }, (_, i) => i).filter((i) => i % shard.count === shard.index - 1);
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

const VERDICTS: readonly VerdictKind[] = ['recovered', 'slow', ...UNSAFE_VERDICTS];
const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The shard in `data` (a parsed file), or a SweepError saying what `name` is instead. */
function readShard(name: string, data: unknown): SweepShard {
  const bad = (what: string) => new SweepError(`${name}: ${what}; pass the shard-I-of-N.json files that stampede sweep --shard I/N wrote`);
  if (!isMapping(data)) throw bad('not a sweep shard (expected a JSON object)');
  if (data.format === SWEEP_FORMAT) throw bad('this is a whole sweep result (sweep.json), not a shard');
  if (data.format !== SHARD_FORMAT) throw bad(`not a sweep shard (no "format": "${SHARD_FORMAT}")`);
  if (data.version !== SHARD_FORMAT_VERSION)
    throw bad(
      `shard format version ${String(data.version)}, this stampede reads version ${SHARD_FORMAT_VERSION}: rerun the shard with this version`,
    );
  const shard = data.shard;
  const sweep = data.sweep;
  const cells = data.cells;
  const valid =
    isMapping(shard) &&
    Number.isSafeInteger(shard.index) &&
    Number.isSafeInteger(shard.count) &&
    isMapping(sweep) &&
    typeof sweep.fingerprint === 'string' &&
    typeof sweep.seed === 'number' &&
    isMapping(sweep.topology) &&
    Array.isArray(sweep.axes) &&
    sweep.axes.every((a) => isMapping(a) && typeof a.path === 'string' && Array.isArray(a.values) && a.values.length > 0) &&
    Array.isArray(cells) &&
    cells.every(
      (c) => isMapping(c) && Number.isSafeInteger(c.index) && Array.isArray(c.coords) && VERDICTS.includes(c.verdict as VerdictKind),
    );
  if (!valid) throw bad('a damaged shard file (its shard, sweep or cells are missing or malformed)');
  return data as unknown as SweepShard;
}

/** How two sweep definitions differ, in the user's terms. */
function difference(a: SweepDefinition, b: SweepDefinition): string {
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
        `${s.name} is not a shard of the same sweep as ${ref.name}: ${difference(ref.shard.sweep, s.shard.sweep)}; merge the shards of one sweep (same file, --vary and --seed)`,
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
