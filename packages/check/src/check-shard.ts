/**
 * Check shards: one property check split over machines by an existing runner (a CI matrix, a Kubernetes Indexed
 * Job). fast-check lists the same cases for the same seed and run count on every machine; shard I of N judges the
 * cases whose index ≡ I−1 (mod N), in order, and stops at its own first failure (a later case of that shard cannot
 * be the check's first failure). A shard file carries the check's definition and the verdicts it judged. Merging
 * checks that the shards belong to one check, finds the first failure in fast-check's order, and checks that every
 * case before it was judged: then the merge can shrink that failure exactly as one unsharded check would.
 */

import { isMapping, showFound } from './file-values.ts';
import { SUSTAINING_LOOPS, VERDICT_KINDS, type VerdictKind } from './oracle.ts';
import { SweepError } from './sweep-error.ts';
import type { ShardSpec } from './sweep-shard.ts';

export const CHECK_SHARD_FORMAT = 'stampede-check-shard';
export const CHECK_SHARD_FORMAT_VERSION = 1;

/** What makes two runs the same check: everything that decides the cases and their verdicts. */
export interface CheckDefinition {
  /** the topology file as it was given (relative paths: run every shard and the merge from the same directory) */
  file: string;
  topology: string;
  /** sha256 of the topology file's bytes, the seed, runs, faults, engine and tool version */
  fingerprint: string;
  seed: number;
  runs: number;
  faults: boolean;
  engine: 'compiled' | 'xstate';
  /** the shrinking budget the merge uses */
  maxShrink: number;
}

/** One judged case, as the check's worker threads report it. */
export interface CaseVerdictRecord {
  /** the case's index in fast-check's order (0-based) */
  index: number;
  verdict: VerdictKind;
  engine: 'compiled' | 'xstate';
  evidence: string;
  timeToRecoverSec: number | null;
  dominantLoop: string;
  traceHash: string;
}

export interface CheckShard {
  format: typeof CHECK_SHARD_FORMAT;
  version: typeof CHECK_SHARD_FORMAT_VERSION;
  shard: ShardSpec;
  check: CheckDefinition;
  /** the shard's cases in order, up to and including its first metastable one */
  verdicts: CaseVerdictRecord[];
}

export const checkShardFileName = (shard: ShardSpec): string => `check-shard-${shard.index}-of-${shard.count}.json`;

/** The case indices shard `shard` judges out of `runs`; a SweepError when there are more shards than cases. */
export function shardCaseIndices(runs: number, shard: ShardSpec): number[] {
  if (shard.count > runs)
    throw new SweepError(`--shard ${shard.index}/${shard.count}: the check has only ${runs} cases (--runs); use at most ${runs} shards`);
  return Array.from({ length: runs }, (_, i) => i).filter((i) => i % shard.count === shard.index - 1);
}

// the evidence is printed: a shard file must not bring escape sequences to a terminal (C0/C1 controls but newline)
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
/**
 * The most cases (`--runs`) and shrink candidates (`--max-shrink`) a check takes: each is a full simulation and
 * judgement, and a million of them is already days of work; a shard file claiming more is damaged.
 */
export const MAX_CHECK_RUNS = 1_000_000;
const MAX = MAX_CHECK_RUNS;
const HINT = 'pass the check-shard-I-of-N.json files that stampede check --shard I/N wrote';

/** Every problem of a parsed check shard file, `path: expected …, got …`; empty when well formed. */
export function checkShardIssues(data: unknown): string[] {
  const issues: string[] = [];
  const expect = (path: string, what: string, v: unknown) => issues.push(`${path}: expected ${what}, got ${showFound(v)}`);
  const int = (path: string, v: unknown, min: number, max: number): v is number => {
    const ok = Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
    if (!ok) expect(path, `a whole number from ${min} to ${max}`, v);
    return ok;
  };
  if (!isMapping(data)) return [`(top level): expected a JSON object, got ${showFound(data)}`];
  const c = data.check;
  let runs: number | undefined;
  if (!isMapping(c)) expect('check', 'a mapping (the check definition)', c);
  else {
    for (const key of ['file', 'topology', 'fingerprint'] as const)
      if (typeof c[key] !== 'string' || c[key] === '') expect(`check.${key}`, 'a non-empty string', c[key]);
    int('check.seed', c.seed, 0, 0xffff_ffff);
    if (int('check.runs', c.runs, 1, MAX)) runs = c.runs as number;
    if (typeof c.faults !== 'boolean') expect('check.faults', 'true or false', c.faults);
    if (c.engine !== 'compiled' && c.engine !== 'xstate') expect('check.engine', '"compiled" or "xstate"', c.engine);
    int('check.maxShrink', c.maxShrink, 0, MAX);
  }
  const s = data.shard;
  if (!isMapping(s)) expect('shard', 'a mapping with index and count', s);
  else if (int('shard.count', s.count, 1, runs ?? MAX)) int('shard.index', s.index, 1, s.count as number);
  const verdicts = data.verdicts;
  if (!Array.isArray(verdicts)) expect('verdicts', 'a list of judged cases', verdicts);
  else if (runs !== undefined && verdicts.length > runs) expect('verdicts', `at most ${runs} cases (--runs)`, verdicts);
  else
    for (const [i, v] of verdicts.entries()) {
      const at = `verdicts[${i}]`;
      if (!isMapping(v)) {
        expect(at, 'a mapping (index, verdict, evidence, …)', v);
        continue;
      }
      int(`${at}.index`, v.index, 0, (runs ?? MAX) - 1);
      if (!(VERDICT_KINDS as readonly unknown[]).includes(v.verdict))
        expect(`${at}.verdict`, VERDICT_KINDS.map((k) => `"${k}"`).join(', '), v.verdict);
      if (v.engine !== 'compiled' && v.engine !== 'xstate') expect(`${at}.engine`, '"compiled" or "xstate"', v.engine);
      if (!(SUSTAINING_LOOPS as readonly unknown[]).includes(v.dominantLoop))
        expect(`${at}.dominantLoop`, SUSTAINING_LOOPS.map((k) => `"${k}"`).join(', '), v.dominantLoop);
      for (const key of ['evidence', 'traceHash'] as const)
        if (typeof v[key] !== 'string' || CONTROL.test(v[key])) expect(`${at}.${key}`, 'a string without control characters', v[key]);
      if (
        v.timeToRecoverSec !== null &&
        !(typeof v.timeToRecoverSec === 'number' && v.timeToRecoverSec >= 0 && Number.isFinite(v.timeToRecoverSec))
      )
        expect(`${at}.timeToRecoverSec`, 'null or a number of seconds, at least 0', v.timeToRecoverSec);
    }
  return issues;
}

function readCheckShard(name: string, data: unknown): CheckShard {
  const bad = (what: string) => new SweepError(`${name}: ${what}; ${HINT}`);
  if (!isMapping(data) || data.format !== CHECK_SHARD_FORMAT) throw bad(`not a check shard (no "format": "${CHECK_SHARD_FORMAT}")`);
  if (data.version !== CHECK_SHARD_FORMAT_VERSION)
    throw bad(
      `check shard format version ${String(data.version)}, this stampede reads version ${CHECK_SHARD_FORMAT_VERSION}: rerun the shard with this version`,
    );
  const issues = checkShardIssues(data);
  if (issues.length > 0)
    throw new SweepError(
      `${name}: a damaged check shard file, ${issues.length} problem${issues.length === 1 ? '' : 's'} (${HINT}):\n${issues.map((i) => `  - ${i}`).join('\n')}`,
    );
  return data as unknown as CheckShard;
}

/** What the shards of one check say together: the check, the verdicts by case index, and the first failure. */
export interface MergedCheckShards {
  check: CheckDefinition;
  count: number;
  verdicts: Map<number, CaseVerdictRecord>;
  /** the first metastable case in fast-check's order; undefined when every case holds */
  firstFailure: number | undefined;
}

/**
 * Joins check shard files (`name` for messages, `data` parsed JSON). Throws a SweepError when a file is not a check
 * shard, the shards are of different checks or N, a shard is missing or given twice, or a shard left out a case it
 * had to judge (a case before its own first failure).
 */
export function mergeCheckShards(files: readonly { name: string; data: unknown }[]): MergedCheckShards {
  if (files.length === 0) throw new SweepError(`no shard files given; ${HINT}`);
  const shards = files.map((f) => ({ name: f.name, shard: readCheckShard(f.name, f.data) }));
  const ref = shards[0]!;
  for (const s of shards) {
    if (s.shard.check.fingerprint !== ref.shard.check.fingerprint)
      throw new SweepError(
        `${s.name} is not a shard of the same check as ${ref.name} (another topology file content, --seed, --runs, --faults, --engine, --max-shrink or stampede version): merge the shards of one check`,
      );
    if (s.shard.shard.count !== ref.shard.shard.count)
      throw new SweepError(
        `${s.name} is shard ${s.shard.shard.index}/${s.shard.shard.count} but ${ref.name} is shard ${ref.shard.shard.index}/${ref.shard.shard.count}: the shards of one check all use the same N in --shard I/N`,
      );
  }
  const count = ref.shard.shard.count;
  const runs = ref.shard.check.runs;
  const problems: string[] = [];
  const given = new Map<number, number>();
  for (const s of shards) given.set(s.shard.shard.index, (given.get(s.shard.shard.index) ?? 0) + 1);
  for (const [i, n] of given) if (n > 1) problems.push(`shard ${i}/${count} is given ${n} times`);
  const absent = count - given.size;
  if (absent > 0) {
    // a hand-made count of a million must not print a million lines: the first few and how many more
    const missing: number[] = [];
    for (let i = 1; i <= count && missing.length < 5; i++) if (!given.has(i)) missing.push(i);
    const more = absent - missing.length;
    problems.push(
      `missing shard${absent === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')}${more > 0 ? ` and ${more} more` : ''}: run ${absent === 1 ? `it with --shard ${missing[0]}/${count}` : `them with --shard I/${count}`} and pass ${absent === 1 ? 'its file' : 'their files'} too`,
    );
  }
  const verdicts = new Map<number, CaseVerdictRecord>();
  for (const s of shards) {
    const expected = shardCaseIndices(runs, s.shard.shard);
    const held = s.shard.verdicts.map((v) => v.index);
    // the shard's cases in order, up to its first failure (all of them when it has none)
    const failedAt = s.shard.verdicts.findIndex((v) => v.verdict === 'metastable');
    const must = failedAt < 0 ? expected : expected.slice(0, failedAt + 1);
    if (held.join(',') !== must.join(','))
      problems.push(
        `${s.name} should hold cases ${must.join(', ') || 'none'} of shard ${s.shard.shard.index}/${count} but holds ${held.join(', ') || 'none'}: rerun that shard`,
      );
    for (const v of s.shard.verdicts) verdicts.set(v.index, v);
  }
  if (problems.length > 0) throw new SweepError(`cannot merge: ${problems.join('; ')}`);
  let firstFailure: number | undefined;
  for (const v of verdicts.values())
    if (v.verdict === 'metastable' && (firstFailure === undefined || v.index < firstFailure)) firstFailure = v.index;
  return { check: ref.shard.check, count, verdicts, firstFailure };
}
