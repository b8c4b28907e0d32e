/**
 * Shards on the runners people already operate, without a cluster: N `stampede` processes started with the
 * environment a Kubernetes Indexed Job gives its pods (JOB_COMPLETION_INDEX, plus STAMPEDE_SHARD_COUNT from the Job)
 * or a CI matrix sets (STAMPEDE_SHARD=I/N), then `stampede merge`, give what one unsharded run gives: for a check the
 * same outcome (tally, counterexample, shrunk case, replay), for a sweep the same bytes.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../src/check-command.ts';
import { repoRoot, stampede } from './cli.helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = 'examples/topologies/prod4-incident-small.yaml';
const CHECK = ['check', SMALL, '--runs', '6', '--seed', '1', '--max-shrink', '3'];
/** the environment of pod `index` of an Indexed Job with `completions` pods */
const indexedJob = (index: number, completions: number) => ({
  JOB_COMPLETION_INDEX: String(index),
  STAMPEDE_SHARD_COUNT: String(completions),
});
const withoutThreadCount = (o: CheckOutcome) => {
  const { judgedPastFailure: _, ...rest } = o;
  return rest;
};

describe('check shards', () => {
  const out = join(dir, 'check');
  const shardFile = (i: number) => join(out, `check-shard-${i}-of-3.json`);

  it('3 Indexed Job pods, then merge: the outcome of the unsharded check, counterexample and replay included', {
    timeout: 300_000,
  }, async () => {
    const whole = await stampede([...CHECK, '--json']);
    expect(whole.code).toBe(3);
    const pods = await Promise.all([0, 1, 2].map((i) => stampede([...CHECK, '--out', out, '--workers', '1'], indexedJob(i, 3))));
    for (const [i, p] of pods.entries()) {
      expect(p.code, p.stderr).toBe(0); // a shard does not decide: the merge does
      expect(p.stdout).toContain(`shard ${i + 1}/3: `);
      expect(p.stdout).toContain(
        `wrote ${shardFile(i + 1)}; when all 3 shards are done: stampede merge ${join(out, 'check-shard-*-of-3.json')}`,
      );
    }
    const merged = await stampede(['merge', shardFile(2), shardFile(3), shardFile(1), '--json']);
    expect(merged.code).toBe(3);
    const [a, b] = [JSON.parse(whole.stdout) as CheckOutcome, JSON.parse(merged.stdout) as CheckOutcome];
    expect(withoutThreadCount(b)).toStrictEqual(withoutThreadCount(a));
    expect(b.counterexample!.replay).toBe(a.counterexample!.replay);

    const text = await stampede(['merge', shardFile(1), shardFile(2), shardFile(3)]);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain(`the first failure is case ${a.counterexample!.failedAfterRuns}: shrinking it here`);
    expect(text.stdout).toContain(`replay exactly this case: ${a.counterexample!.replay}`);
  });

  it('merge refuses a missing shard, a shard that left out a case it had to judge, and a topology file that changed', async () => {
    const missing = await stampede(['merge', shardFile(1), shardFile(3)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot merge: missing shard 2/3: run it with --shard 2/3 and pass its file too');

    const data = JSON.parse(readFileSync(shardFile(1), 'utf8'));
    data.verdicts = data.verdicts.slice(1); // case 0 dropped: the first failure could be hidden there
    const holed = join(dir, 'holed-1-of-3.json');
    writeFileSync(holed, JSON.stringify(data));
    const hole = await stampede(['merge', holed, shardFile(2), shardFile(3)]);
    expect(hole.code).toBe(2);
    expect(hole.stderr).toMatch(/should hold cases 0(, 3)? of shard 1\/3 but holds/);

    // the shards name the file as given: merge where it is, but with other content
    const moved = join(dir, 'moved');
    cpSync(out, moved, { recursive: true });
    const edited = JSON.parse(readFileSync(join(moved, 'check-shard-1-of-3.json'), 'utf8'));
    const copy = join(dir, 'small-copy.yaml');
    writeFileSync(copy, `${readFileSync(join(repoRoot, SMALL), 'utf8')}\n# edited\n`);
    for (const i of [1, 2, 3]) {
      const f = join(moved, `check-shard-${i}-of-3.json`);
      const d = i === 1 ? edited : JSON.parse(readFileSync(f, 'utf8'));
      d.check.file = copy;
      writeFileSync(f, JSON.stringify(d));
    }
    const changed = await stampede(['merge', ...[1, 2, 3].map((i) => join(moved, `check-shard-${i}-of-3.json`))]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain(`${copy} is not the file the shards judged`);

    // shard files are input: escape sequences in a verdict, or a hand-made count of a thousand shards
    const evil = JSON.parse(readFileSync(shardFile(1), 'utf8'));
    evil.verdicts[0].evidence = 'ok \u001b[2J';
    evil.verdicts[0].dominantLoop = 'mine';
    const evilFile = join(dir, 'evil-1-of-3.json');
    writeFileSync(evilFile, JSON.stringify(evil));
    const injected = await stampede(['merge', evilFile, shardFile(2), shardFile(3)]);
    expect(injected.code).toBe(2);
    expect(injected.stderr).toContain('verdicts[0].evidence: expected a string without control characters');
    expect(injected.stderr).toContain('verdicts[0].dominantLoop: expected "abandoned-acquires"');
    expect(injected.stderr).not.toContain('\u001b');
    const wide = JSON.parse(readFileSync(shardFile(1), 'utf8'));
    wide.shard.count = 1000;
    wide.check.runs = 5000;
    const wideFile = join(dir, 'wide.json');
    writeFileSync(wideFile, JSON.stringify(wide));
    const many = await stampede(['merge', wideFile]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('missing shards 2/1000, 3/1000, 4/1000, 5/1000, 6/1000 and 994 more');
    expect(many.stderr.length).toBeLessThan(2_000);

    // merged elsewhere, the file the shards name is not there: say where to run the merge
    const away = JSON.parse(readFileSync(shardFile(1), 'utf8'));
    const awayFiles = [1, 2, 3].map((i) => {
      const d = i === 1 ? away : JSON.parse(readFileSync(shardFile(i), 'utf8'));
      d.check.file = 'nowhere/small.yaml';
      const f = join(dir, `away-${i}.json`);
      writeFileSync(f, JSON.stringify(d));
      return f;
    });
    const elsewhere = await stampede(['merge', ...awayFiles]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('the shards name the topology file nowhere/small.yaml');
    expect(elsewhere.stderr).toContain('run the merge from the directory the shards ran in');

    const withOut = await stampede(['merge', shardFile(1), shardFile(2), shardFile(3), '--out', join(dir, 'x')]);
    expect(withOut.code).toBe(2);
    expect(withOut.stderr).toContain('--out is for sweep shards');
  });

  it('a shard count without the pod index, and a shard with --report or --replay, are refused before any work', async () => {
    const noIndex = await stampede([...CHECK, '--out', join(dir, 'none')], { STAMPEDE_SHARD_COUNT: '3' });
    expect(noIndex.code).toBe(2);
    expect(noIndex.stderr).toContain('STAMPEDE_SHARD_COUNT=3 needs JOB_COMPLETION_INDEX');
    expect(existsSync(join(dir, 'none'))).toBe(false);
    const report = await stampede([...CHECK, '--report', join(dir, 'r.html')], { STAMPEDE_SHARD: '1/3' });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('(STAMPEDE_SHARD=1/3 in the environment makes this a shard): pass --report to stampede merge instead');
    const replay = await stampede([...CHECK, '--shard', '1/3', '--replay', '0']);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toContain('--replay judges one case: it takes no --shard');
    // a CI job's STAMPEDE_SHARD does not turn a replay into a shard: the replay judges its case
    const replayInJob = await stampede([...CHECK, '--replay', '0', '--json'], { STAMPEDE_SHARD: '1/3' });
    expect(replayInJob.code, replayInJob.stderr).toBeLessThan(4);
    expect(JSON.parse(replayInJob.stdout)).toMatchObject({ replayed: '0', generatedJudged: 1 });
    const tooMany = await stampede([...CHECK, '--shard', '1/7', '--out', join(dir, 'many')]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('the check has only 6 cases (--runs); use at most 6 shards');
  });
});

describe('sweep shards from a CI matrix', () => {
  it('2 matrix jobs (STAMPEDE_SHARD=I/2), then merge: the bytes of the unsharded sweep', { timeout: 300_000 }, async () => {
    const vary = ['--vary', 'delegates.reconnect.delay=1s..30s:3'];
    const whole = join(dir, 'sweep-whole');
    const sharded = join(dir, 'sweep-sharded');
    const one = await stampede(['sweep', SMALL, ...vary, '--out', whole, '--json']);
    expect(one.code).toBe(0);
    const jobs = await Promise.all(
      [1, 2].map((i) => stampede(['sweep', SMALL, ...vary, '--out', sharded, '--workers', '1'], { STAMPEDE_SHARD: `${i}/2` })),
    );
    for (const j of jobs) expect(j.code, j.stderr).toBe(0);
    const m = await stampede(['merge', join(sharded, 'shard-1-of-2.json'), join(sharded, 'shard-2-of-2.json'), '--out', sharded]);
    expect(m.code, m.stderr).toBe(0);
    expect(readFileSync(join(sharded, 'sweep.json'), 'utf8')).toBe(readFileSync(join(whole, 'sweep.json'), 'utf8'));
    expect(readFileSync(join(sharded, 'sweep.csv'), 'utf8')).toBe(readFileSync(join(whole, 'sweep.csv'), 'utf8'));
  });
});
