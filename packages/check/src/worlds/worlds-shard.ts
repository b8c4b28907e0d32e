/**
 * Shards of a worlds file: shard I of N runs the worlds whose index ≡ I−1
 * (mod N), both phases (a world needs only its own runs), and writes its runs
 * with the worlds file's text and a fingerprint of everything that decides
 * them (the worlds file, every topology's text, the engine, the tool's
 * version). Merging re-reads the worlds file from the shards, checks that
 * they share a fingerprint and cover every world exactly once, and builds
 * the same result as one unsharded run.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { VERDICT_KINDS } from '../oracle.ts';
import { roundRobin, type ShardSpec } from '../sweep-shard.ts';
import { WorldsError } from './worlds-error.ts';
import { parseWorldsFile, type WorldsSpec } from './worlds-file.ts';
import { enumerateWorlds, type World } from './worlds-plan.ts';
import type { WorldsRuns } from './worlds-run.ts';

export const WORLDS_SHARD_FORMAT = 'stampede-worlds-shard';
export const WORLDS_SHARD_FORMAT_VERSION = 1;

export interface WorldsShard {
  format: typeof WORLDS_SHARD_FORMAT;
  version: typeof WORLDS_SHARD_FORMAT_VERSION;
  shard: ShardSpec;
  fingerprint: string;
  engine: 'compiled' | 'xstate';
  /** the worlds file as given, and its text */
  source: string;
  worldsText: string;
  /** sha256 of worldsText, so that merge refuses a worlds text edited after the run */
  worldsTextSha256: string;
  /** the world indices this shard ran */
  worlds: number[];
  runs: WorldsRuns;
}

/** The worlds shard `shard` runs out of `count`; a WorldsError when there are more shards than worlds. */
export function shardWorldIndices(count: number, shard: ShardSpec): number[] {
  if (shard.count > count)
    throw new WorldsError(`--shard ${shard.index}/${shard.count}: the worlds file has only ${count} worlds; use at most ${count} shards`);
  return roundRobin(count, shard);
}

/** The checksum a shard keeps of the worlds file's text. */
export function worldsTextSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const worldsShardFileName = (shard: ShardSpec): string => `worlds-shard-${shard.index}-of-${shard.count}.json`;

const text = z.string().max(100_000);
const int = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const shardSchema = z.strictObject({
  format: z.literal(WORLDS_SHARD_FORMAT),
  version: z.literal(WORLDS_SHARD_FORMAT_VERSION),
  shard: z.strictObject({ index: int, count: int }),
  fingerprint: text,
  engine: z.enum(['compiled', 'xstate']),
  source: text,
  worldsText: z.string().max(262_144),
  worldsTextSha256: z.string().regex(/^[0-9a-f]{64}$/),
  worlds: z.array(int).max(10_000),
  runs: z.strictObject({
    observed: z
      .array(
        z.strictObject({
          world: int,
          run: text,
          seed: int,
          results: z.array(z.strictObject({ index: int, result: z.strictObject({ held: z.boolean(), detail: text }) })).max(1000),
        }),
      )
      .max(1_000_000),
    judged: z
      .array(
        z.strictObject({
          world: int,
          run: text,
          seed: int,
          verdict: z.enum(VERDICT_KINDS),
          dominantLoop: text,
          evidence: text,
          storm: z.boolean(),
          timeToRecoverFromStormSec: z.number().nullable(),
          traceHash: text,
        }),
      )
      .max(1_000_000),
  }),
});

export interface MergedWorlds {
  spec: WorldsSpec;
  worlds: World[];
  runs: WorldsRuns;
  engine: 'compiled' | 'xstate';
}

/** Checks the shard files (`name` for messages) and joins them; a WorldsError names what is wrong, and nothing is merged. */
export function mergeWorldsShards(files: readonly { name: string; data: unknown }[]): MergedWorlds {
  if (files.length === 0) throw new WorldsError('no shard files to merge');
  const shards = files.map(({ name, data }) => {
    const r = shardSchema.safeParse(data);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new WorldsError(
        `${name}: not a worlds shard file written by this version of stampede demo --worlds --shard (${i.path.join('.') || 'the file'}: ${i.message})`,
      );
    }
    return { name, shard: r.data };
  });
  const first = shards[0]!;
  for (const s of shards) {
    if (s.shard.fingerprint !== first.shard.fingerprint || s.shard.shard.count !== first.shard.shard.count)
      throw new WorldsError(
        `${s.name} and ${first.name} are shards of different runs (another worlds file, topology, engine, stampede version or shard count); merge the shards of one run`,
      );
  }
  for (const s of shards) {
    if (worldsTextSha256(s.shard.worldsText) !== s.shard.worldsTextSha256)
      throw new WorldsError(`${s.name}: its worlds file text does not match the checksum written with it; the file was edited or damaged`);
    if (s.shard.worldsText !== first.shard.worldsText)
      throw new WorldsError(`${s.name} and ${first.name} carry different worlds files; merge the shards of one run`);
  }
  const spec = parseWorldsFile(first.shard.worldsText, first.shard.source);
  const worlds = enumerateWorlds(spec);
  const owner = new Map<number, string>();
  for (const s of shards)
    for (const w of s.shard.worlds) {
      if (w >= worlds.length) throw new WorldsError(`${s.name}: world index ${w} does not exist (the file has ${worlds.length} worlds)`);
      const other = owner.get(w);
      if (other !== undefined)
        throw new WorldsError(`${s.name}: world w${w + 1} is also in ${other}; is a shard given twice? pass each shard file once`);
      owner.set(w, s.name);
    }
  for (const s of shards) {
    const own = new Set(s.shard.worlds);
    const stray = [...s.shard.runs.observed, ...s.shard.runs.judged].find((r) => !own.has(r.world));
    if (stray !== undefined)
      throw new WorldsError(`${s.name}: holds a run of world w${stray.world + 1}, which the shard does not list; the file is damaged`);
  }
  const missing = worlds.filter((w) => !owner.has(w.index));
  if (missing.length > 0) {
    const have = new Set(shards.map((s) => s.shard.shard.index));
    const absent = Array.from({ length: first.shard.shard.count }, (_, i) => i + 1).filter((i) => !have.has(i));
    throw new WorldsError(
      `the shards cover ${owner.size} of ${worlds.length} worlds; missing shard${absent.length === 1 ? '' : 's'} ${absent.map((i) => `${i}/${first.shard.shard.count}`).join(', ')}`,
    );
  }
  const runs: WorldsRuns = { observed: [], judged: [] };
  for (const s of shards) {
    runs.observed.push(...s.shard.runs.observed);
    runs.judged.push(...s.shard.runs.judged);
  }
  return { spec, worlds, runs, engine: first.shard.engine };
}
