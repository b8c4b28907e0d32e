/**
 * `stampede check` end to end on the 200-delegate incident: it finds and
 * shrinks a counterexample, the printed replay command reproduces exactly
 * that case, the outcome does not depend on the number of worker threads,
 * the property holds where the sanity law says it must, and bad input is
 * refused before any simulation.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../src/check-command.ts';
import { repoRoot, stampede } from './cli.helpers.ts';

const SMALL = 'examples/topologies/prod4-incident-small.yaml';
const LONG = 300_000;

function tempTopology(name: string, edit: (yaml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-check-'));
  const file = join(dir, name);
  writeFileSync(file, edit(readFileSync(join(repoRoot, SMALL), 'utf8')));
  return file;
}

describe('stampede check', () => {
  it(
    'finds a metastable case on the incident, shrinks it to one pod at a time, and the same outcome on 1 or 2 threads; the replay reproduces it',
    async () => {
      const args = ['check', SMALL, '--runs', '10', '--seed', '1', '--json'];
      const [two, one] = await Promise.all([stampede([...args, '--workers', '2']), stampede([...args, '--workers', '1'])]);
      expect(two.code).toBe(3);
      expect(one.code).toBe(3);
      const a = JSON.parse(two.stdout) as CheckOutcome;
      const b = JSON.parse(one.stdout) as CheckOutcome;
      expect(a.holds).toBe(false);
      expect(a.counterexample!.verdict.verdict).toBe('metastable');
      expect(b.counterexample).toEqual(a.counterexample);
      expect(b.counts).toEqual(a.counts);
      expect(b.judged).toBe(a.judged); // counted in fast-check's order, not as the threads happened to run
      const { policy, faults } = a.counterexample!.rolloutCase;
      expect(faults).toEqual([]);
      // one pod more at a time, none missing: the smallest policy still fails
      expect(policy.router.maxSurge).toBe(1);
      expect(policy.manager.maxSurge).toBe(1);
      expect([0, '0%']).toContain(policy.router.maxUnavailable);
      expect([0, '0%']).toContain(policy.manager.maxUnavailable);

      const replay = a.counterexample!.replay.split(' ');
      expect(replay.slice(0, 2)).toEqual(['stampede', 'check']);
      const again = await stampede([...replay.slice(1), '--json']);
      expect(again.code).toBe(3);
      const r = JSON.parse(again.stdout) as CheckOutcome;
      expect(r.judged).toBe(1);
      expect(r.replayed).toBe(a.counterexample!.path);
      expect(r.counterexample!.rolloutCase).toEqual(a.counterexample!.rolloutCase);
      expect(r.counterexample!.verdict.traceHash).toBe(a.counterexample!.verdict.traceHash);
    },
    LONG,
  );

  it(
    'prints the shrunk case, its evidence and the replay command for a person',
    async () => {
      const page = join(mkdtempSync(join(tmpdir(), 'stampede-check-')), 'check.html');
      const out = await stampede(['check', SMALL, '--runs', '3', '--seed', '1', '--report', page]);
      expect(out.code).toBe(3);
      expect(out.stdout).toContain(`wrote ${page}`);
      const html = readFileSync(page, 'utf8');
      expect(html).toContain('counterexample');
      expect(html).toMatch(/rollout policy \(router: maxSurge 1/);
      expect(html).toContain('stampede check examples/topologies/prod4-incident-small.yaml --seed 1 --runs 3 --replay');
      expect(out.stdout).toMatch(/^fails: case \d+ of 3 is metastable/m);
      expect(out.stdout).toMatch(/^ {2}rollout policy \(router: maxSurge 1/m);
      expect(out.stdout).toContain('timeline as judged (manual rollbacks left out');
      expect(out.stdout).toMatch(/^verdict: metastable \(abandoned-acquires\); not recovered by/m);
      expect(out.stdout).toMatch(
        /^replay exactly this case: stampede check examples\/topologies\/prod4-incident-small\.yaml --seed 1 --runs 3 --replay \d+(:\d+)*$/m,
      );
    },
    LONG,
  );

  it(
    '--engine xstate judges on the reference interpreter: the same counterexample and trace hash as compiled; its replay carries --engine xstate and reproduces it',
    async () => {
      const args = ['check', SMALL, '--runs', '3', '--seed', '1', '--workers', '1', '--json'];
      const [compiled, reference] = await Promise.all([stampede(args), stampede([...args, '--engine', 'xstate'])]);
      // a judgement on another engine than asked for would be a bug: exit code 1
      for (const r of [compiled, reference]) expect(r.code).toBe(3);
      const c = JSON.parse(compiled.stdout) as CheckOutcome;
      const x = JSON.parse(reference.stdout) as CheckOutcome;
      expect(c.engine).toBe('compiled');
      expect(x.engine).toBe('xstate');
      expect(x.counterexample!.verdict.engine).toBe('xstate'); // as the worker's simulation reports it
      expect(c.counterexample!.verdict.engine).toBe('compiled');
      expect(x.counterexample!.rolloutCase).toEqual(c.counterexample!.rolloutCase);
      expect(x.counterexample!.path).toBe(c.counterexample!.path);
      expect(x.counterexample!.verdict.traceHash).toBe(c.counterexample!.verdict.traceHash);
      expect({ ...x.counterexample!.verdict, engine: 'compiled' }).toEqual(c.counterexample!.verdict);
      expect(x.counts).toEqual(c.counts);
      expect(x.judged).toBe(c.judged);
      const path = c.counterexample!.path;
      expect(c.counterexample!.replay).toBe(`stampede check ${SMALL} --seed 1 --runs 3 --replay ${path}`);
      expect(x.counterexample!.replay).toBe(`stampede check ${SMALL} --seed 1 --runs 3 --engine xstate --replay ${path}`);
      // the replay, for a person: one judgement on xstate, the same case, its header and replay line say so
      const again = await stampede(x.counterexample!.replay.split(' ').slice(1));
      expect(again.code).toBe(3);
      expect(again.stdout).toMatch(/^stampede check \S+: .* on 200 delegates, engine xstate, /m);
      expect(again.stdout).toContain(`replay exactly this case: ${x.counterexample!.replay}`);
      expect(again.stdout).toContain(`verdict: ${x.counterexample!.verdict.verdict} (${x.counterexample!.verdict.dominantLoop}`);
    },
    LONG,
  );

  it(
    'holds on the elastic pool (the sanity law), with a tally of verdicts and exit code 0',
    async () => {
      const file = tempTopology('elastic.yaml', (y) => y.replace('pool: { mode: fixed, maxConnections: 69 }', 'pool: { mode: elastic }'));
      const out = await stampede(['check', file, '--runs', '4', '--seed', '2', '--json']);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const o = JSON.parse(out.stdout) as CheckOutcome;
      expect(o.holds).toBe(true);
      expect(o.counterexample).toBeUndefined();
      expect(o.counts.metastable).toBe(0);
      expect(o.counts.recovered + o.counts.slow + o.counts.overloaded).toBe(4);
    },
    LONG,
  );

  it('refuses a topology without a rollout, a timeline that leaves no baseline, and a malformed replay path, before simulating', async () => {
    const noRollout = tempTopology('quiet.yaml', (y) => y.replace(/\ntimeline:[\s\S]*$/, '\ntimeline: []\n'));
    const a = await stampede(['check', noRollout]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('has no rollout in its timeline');
    const early = tempTopology('early.yaml', (y) => y.replaceAll('- at: 10m', '- at: 2m'));
    const b = await stampede(['check', early]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('needs 5 min of steady state');
    const c = await stampede(['check', SMALL, '--replay', 'first']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("--replay expects a counterexample path as printed by a failed check, e.g. --replay 0:1:3, got 'first'");
    for (const path of ['0:99999', '0:99999:1', '7']) {
      const r = await stampede(['check', SMALL, '--runs', '5', '--replay', path]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--replay ${path} names no case of this check`);
    }
    const d = await stampede(['check', SMALL, '--runs', 'many']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('expected a whole number of cases, at least 1');
  });
});
