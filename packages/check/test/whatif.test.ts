/**
 * What-if branches: an action added at minute T is exactly the run from
 * scratch with that event written in the file's timeline (same parameters,
 * same trace hash), the oracle judges a branch without the file's own manual
 * rollbacks but with a tried one, a wrong action is refused with the loader's
 * words, and the bisection for the latest minute finds the boundary of a
 * monotone predicate and lists what it tried.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTopologyText, readTopologyYaml, runPlatform } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import { ControlRuns, latestMinute, planWhatif, runBranch, Trunks, WhatifError } from '../src/index.ts';

const SMALL = fileURLToPath(new URL('../../../examples/topologies/prod4-incident-small.yaml', import.meta.url));
const text = readFileSync(SMALL, 'utf8');
const doc = readTopologyYaml(text, SMALL);
const MIN = 60_000;

/** The small incident's file with `event` (YAML, one line) appended to its timeline. */
function withEvent(event: string): string {
  return `${text.trimEnd()}\n  - ${event}\n`;
}

describe('a what-if branch', () => {
  it.each([
    ['{rollback: router}', '{ at: 15m, rollback: router, label: "whatif: rollback router at 15m" }'],
    ['{kill: router, count: 2}', '{ at: 15m, kill: router, count: 2, label: "whatif: kill router, count 2 at 15m" }'],
    [
      '{partition: delegates-routers, duration: 1m}',
      '{ at: 15m, partition: delegates-routers, duration: 1m, label: "whatif: partition delegates-routers, duration 1m at 15m" }',
    ],
    ['{loadSpike: 2, duration: 5m}', '{ at: 15m, loadSpike: 2, duration: 5m, label: "whatif: loadSpike 2, duration 5m at 15m" }'],
  ])('%s at 15m is the run from scratch with the event in the file: same parameters, same trace hash', (action, written) => {
    const plan = planWhatif(doc, SMALL, 15 * MIN, [action]);
    const branch = plan.branches[0]!;
    // a tried rollback leaves out the file's own later rollback of the router (it would undo the tried one)
    const file = action.startsWith('{rollback')
      ? withEvent(written).replace(/ {2}- at: 52m\n {4}rollback: router\n {4}label: .*\n/, '')
      : withEvent(written);
    const fromScratch = loadTopologyText(file, SMALL);
    expect(branch.params).toStrictEqual(fromScratch);
    const short = { ...branch.params, durationMs: 20 * MIN };
    expect(runPlatform(short, { seed: 3 }).summary.traceHash).toBe(
      runPlatform({ ...fromScratch, durationMs: 20 * MIN }, { seed: 3 }).summary.traceHash,
    );
  });

  it('is judged without the file’s own rollback but with a tried one; a tried rollback also leaves the file’s out of its run', () => {
    const plan = planWhatif(doc, SMALL, 15 * MIN, ['{rollback: router}', '{kill: manager}']);
    const [rollback, kill] = plan.branches;
    // the run leaves out the file's rollback at 52m, which would roll back to the fixed pool after the tried one
    expect(rollback!.params.timeline.filter((e) => e.kind === 'rollback').map((e) => e.atMs)).toEqual([15 * MIN]);
    expect(rollback!.dropped).toEqual(['rollback router at 52m']);
    expect(rollback!.judged.timeline.filter((e) => e.kind === 'rollback').map((e) => e.atMs)).toEqual([15 * MIN]);
    // any other action keeps the file's rollback in its run, and leaves it out of what the oracle judges
    expect([kill!.dropped, kill!.params.timeline.filter((e) => e.kind === 'rollback').map((e) => e.atMs)]).toEqual([[], [52 * MIN]]);
    expect(kill!.judged.timeline.some((e) => e.kind === 'rollback')).toBe(false);
  });

  it('a rollback 5 minutes into the storm ends it; the run as written, judged, does not end by itself', () => {
    const plan = planWhatif(doc, SMALL, 15 * MIN, ['{rollback: router}']);
    const b = plan.branches[0]!;
    const tried = runBranch({ index: 0, params: b.params, judged: b.judged, atMs: 15 * MIN, seed: 1, engine: 'compiled', withRun: true });
    const none = runBranch({
      index: -1,
      params: plan.asWritten,
      judged: plan.asWritten,
      atMs: undefined,
      seed: 1,
      engine: 'compiled',
      withRun: true,
    });
    expect(none.verdict).toBe('metastable');
    expect(tried.verdict).toBe('recovered');
    expect(tried.afterActionSec).toBeGreaterThan(0);
    expect(tried.afterActionSec).toBeLessThan(10 * 60);
    expect(tried.run!.impact.blockedPipelines).toBeLessThan(none.run!.impact.blockedPipelines);
  });

  it('forked from the run as written, every verb gives what the branch run from scratch gives (verdict, trace hashes, impact, chart)', () => {
    const actions = [
      '{rollback: router}',
      '{restart: router}',
      '{reconfigure: router, pool: {maxIdleTime: 1m}}',
      '{scale: router, replicas: 6, minReplicas: 6, maxReplicas: 6}',
      '{pause: manager}',
      '{admit: {reconnectsPerSecond: 20}, duration: 5m}',
    ];
    const plan = planWhatif(doc, SMALL, 15 * MIN, actions);
    const trunks = new Trunks();
    const controls = new ControlRuns();
    plan.branches.forEach((b, i) => {
      const job = { index: i, params: b.params, judged: b.judged, atMs: 15 * MIN, seed: 2, engine: 'compiled' as const, withRun: true };
      const forked = runBranch({ ...job, trunk: plan.asWritten }, trunks, controls);
      expect(forked.reranBecause).toBeUndefined();
      expect(forked, b.action).toEqual(runBranch(job));
    });
    // one past (the run the oracle judges) to 15:00, a fork per branch; each branch's run as written goes on from its
    // judged run (the file's own rollback at 52:00 comes after the judgement ends), so the as-written trunk is not needed
    expect(trunks.counts).toEqual({ trunksBuilt: 1, snapshotsTaken: 1, branchesForked: actions.length });
    // branches that leave the same configuration behind and do not recover share one control run
    expect(controls.counts).toEqual({ built: 2, reused: 2 });
  });

  it('a later minute starts from the latest snapshot before it; an earlier one from the start', () => {
    const trunks = new Trunks();
    const at = (m: number) => planWhatif(doc, SMALL, m * MIN, ['{rollback: router}']).branches[0]!;
    for (const m of [20, 30, 12]) {
      const b = at(m);
      runBranch(
        { index: 0, params: b.params, judged: b.judged, atMs: m * MIN, seed: 1, engine: 'compiled', withRun: false, trunk: b.params },
        trunks,
      );
    }
    expect(trunks.counts).toEqual({ trunksBuilt: 1, snapshotsTaken: 3, branchesForked: 3 });
  });

  it('the run as written, forked from its trunk at 0 and run on from its judgement, is the same as from scratch', () => {
    const plan = planWhatif(doc, SMALL, 15 * MIN, ['{rollback: router}']);
    const job = {
      index: -1,
      params: plan.asWritten,
      judged: plan.asWritten,
      atMs: undefined,
      seed: 4,
      engine: 'compiled' as const,
      withRun: true,
    };
    const trunks = new Trunks();
    expect(runBranch({ ...job, trunk: plan.asWritten }, trunks)).toEqual(runBranch(job));
    expect(trunks.counts).toEqual({ trunksBuilt: 1, snapshotsTaken: 0, branchesForked: 1 });
  });

  it.each([
    // found in review: the judged run can end after the run does, or after one of the file's rollbacks
    [
      'the judgement ends after the run (no rollback, action at 60:00)',
      (t: string) => t.replace(/ {2}- at: 52m\n {4}rollback: router\n {4}label: .*\n/, ''),
      60,
    ],
    [
      'the file’s rollback comes before the judgement ends (at 20:00)',
      (t: string) => t.replace('- at: 52m\n    rollback: router', '- at: 20m\n    rollback: router'),
      15,
    ],
  ])('forked equals from scratch when %s', (_name, edit, minute) => {
    const edited = edit(text);
    expect(edited).not.toBe(text);
    const plan = planWhatif(readTopologyYaml(edited, SMALL), SMALL, minute * MIN, ['{kill: router, count: 1}']);
    const b = plan.branches[0]!;
    for (const job of [
      { index: 0, params: b.params, judged: b.judged, atMs: minute * MIN, seed: 1, engine: 'compiled' as const, withRun: true },
      { index: -1, params: plan.asWritten, judged: plan.asWritten, atMs: undefined, seed: 1, engine: 'compiled' as const, withRun: true },
    ])
      expect(runBranch({ ...job, trunk: plan.asWritten }, new Trunks(), new ControlRuns())).toEqual(runBranch(job));
  });

  it('on the xstate engine a branch re-runs its prefix and says why', () => {
    const plan = planWhatif(doc, SMALL, 15 * MIN, ['{rollback: router}']);
    const b = plan.branches[0]!;
    const r = runBranch(
      { index: 0, params: b.params, judged: b.judged, atMs: 15 * MIN, seed: 1, engine: 'xstate', withRun: false, trunk: plan.asWritten },
      new Trunks(),
    );
    expect(r.reranBecause).toMatch(/engine 'xstate'.*closures/);
    expect(r.verdict).toBe('recovered');
  });

  it.each([
    [['{rollbak: router}'], /--try "\{rollbak: router\}" does not fit .*rollbak/],
    [['{at: 20m, rollback: router}'], /leave out `at`: --at gives the minute/],
    [['rollback router'], /an action is a timeline event as a topology file writes it, a mapping/],
    [['{rollback: [router'], /not YAML/],
    [[], /nothing to try/],
  ])('refuses %j, saying why', (tries, message) => {
    expect(() => planWhatif(doc, SMALL, 15 * MIN, tries)).toThrow(WhatifError);
    expect(() => planWhatif(doc, SMALL, 15 * MIN, tries)).toThrow(message);
  });

  it('refuses a minute outside the run', () => {
    expect(() => planWhatif(doc, SMALL, 80 * MIN, ['{rollback: router}'])).toThrow(
      /--at 1h20m: the action must come after the start and before the end of the run \(1h15m\)/,
    );
  });
});

describe('the latest minute', () => {
  const probeUntil = (limitMs: number, seen: number[]) => async (atMs: number) => {
    seen.push(atMs);
    return { atMs, ok: atMs <= limitMs, outcome: atMs <= limitMs ? 'recovered' : 'metastable' };
  };

  it('bisects to the resolution, listing every minute tried in order', async () => {
    const seen: number[] = [];
    const r = await latestMinute(10 * MIN, 60 * MIN, 30_000, probeUntil(23.5 * MIN, seen));
    expect([r.latestMs, r.firstTooLateMs]).toEqual([23.5 * MIN, 24 * MIN]);
    expect(r.probes.map((p) => p.atMs)).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.length).toBeLessThanOrEqual(9); // 100 steps of 30 s: both ends and ⌈log2 100⌉
    for (const p of r.probes) expect(p.ok).toBe(p.atMs <= 23.5 * MIN);
  });

  it('says when acting earlier did worse, instead of bisecting a question with no single boundary', async () => {
    const late = async (atMs: number) => ({ atMs, ok: atMs >= 30 * MIN, outcome: '' });
    expect(await latestMinute(10 * MIN, 60 * MIN, 30_000, late)).toMatchObject({ latestMs: null, firstTooLateMs: null, notMonotone: true });
  });

  it('says so when even the earliest minute is too late, or the latest still works', async () => {
    expect(await latestMinute(10 * MIN, 60 * MIN, 30_000, probeUntil(5 * MIN, []))).toMatchObject({
      latestMs: null,
      firstTooLateMs: 10 * MIN,
    });
    expect(await latestMinute(10 * MIN, 60 * MIN, 30_000, probeUntil(90 * MIN, []))).toMatchObject({
      latestMs: 60 * MIN,
      firstTooLateMs: null,
    });
  });
});
