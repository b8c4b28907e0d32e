/**
 * `stampede check` end to end on the 200-delegate incident: it finds and
 * shrinks a counterexample, the printed replay command reproduces exactly
 * that case, the outcome does not depend on the number of worker threads,
 * the property holds where the sanity law says it must, and bad input is
 * refused before any simulation. Also: the shrink budget (--max-shrink), the
 * progress lines off a terminal, and reports that count what they itemise.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopologyFile } from '@stampede/model';
import { plain } from '@stampede/report';
import { describe, expect, it } from 'vitest';
import { type CheckOutcome, formatCheckOutcome } from '../src/check-command.ts';
import { checkProgress, formatElapsed } from '../src/check-progress.ts';
import { repoRoot, stampede } from './cli.helpers.ts';

const SMALL = 'examples/topologies/prod4-incident-small.yaml';
const LONG = 300_000;
/** a progress line off a terminal */
const PROGRESS_LINE =
  /^stampede check: (judging: \d+\/\d+ cases judged|shrinking: \d+\/\d+ shrink candidates judged|done: \d+ generated cases?)[^\n]*, \d+\.\d s elapsed$/;

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '');
}

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
      expect(out.stdout).toMatch(
        /^verdict: metastable \(abandoned-acquires\); not recovered at the deadline, minute \d+\.\d of the run: /m,
      );
      expect(out.stdout).toMatch(
        /^replay exactly this case: stampede check examples\/topologies\/prod4-incident-small\.yaml --seed 1 --runs 3 --replay \d+(:\d+)*$/m,
      );
    },
    LONG,
  );

  it(
    '--engine xstate judges on the reference interpreter: the same counterexample and trace hash as compiled; its replay carries --engine xstate and reproduces it',
    async () => {
      // a shrink budget of 4 keeps the xstate side short; both engines must stop at the same case
      const args = ['check', SMALL, '--runs', '3', '--seed', '1', '--workers', '1', '--max-shrink', '4', '--json'];
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
      const page = join(mkdtempSync(join(tmpdir(), 'stampede-check-')), 'held.html');
      const [out, text] = await Promise.all([
        stampede(['check', file, '--runs', '4', '--seed', '2', '--json']),
        stampede(['check', file, '--runs', '4', '--seed', '2', '--report', page]),
      ]);
      // off a terminal stderr carries progress lines only; stdout the one JSON object
      for (const line of stderrLines(out.stderr)) expect(line).toMatch(PROGRESS_LINE);
      expect(out.code).toBe(0);
      const o = JSON.parse(out.stdout) as CheckOutcome;
      expect(o.holds).toBe(true);
      expect(o.counterexample).toBeUndefined();
      expect(o.shrink).toBeUndefined();
      expect(o.counts.metastable).toBe(0);
      expect(o.counts.recovered + o.counts.slow + o.counts.overloaded).toBe(4);
      expect(o.judged).toBe(4);
      expect(o.generatedJudged).toBe(4);
      // the wording says what was checked: these 4 generated policies, not every rollout policy
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^holds for 4 generated rollout policies \(fast-check seed 2\): none was metastable/m);
      expect(text.stdout).not.toMatch(/every rollout policy|no self-sustaining failure loop in/);
      const html = readFileSync(page, 'utf8');
      expect(html).toContain('held for 4 generated rollout policies (seed 2): none was metastable');
      expect(html).toContain('4 generated cases judged');
      expect(html).not.toContain('for every rollout policy');
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
    const huge = await stampede(['check', SMALL, '--runs', '1000001']);
    expect(huge.code).toBe(2); // a million cases is already days of simulation; a shard file claiming more is refused too
    const d = await stampede(['check', SMALL, '--runs', 'many']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('expected a whole number of cases from 1 to 1000000');
  });

  it(
    '--max-shrink 0 reports the first failure unshrunk, and its replay reproduces it; progress lines on stderr off a terminal leave the JSON as it was',
    async () => {
      const args = ['check', SMALL, '--runs', '3', '--seed', '1', '--workers', '1', '--json', '--max-shrink', '0'];
      const [lines, quiet] = await Promise.all([
        stampede(args, { STAMPEDE_PROGRESS_SECONDS: '0' }), // a line at every step
        stampede(args, { STAMPEDE_PROGRESS_SECONDS: '600' }), // the first and the last line only
      ]);
      expect(lines.code).toBe(3);
      expect(quiet.code).toBe(3);
      expect(lines.stdout.trimEnd().split('\n')).toHaveLength(1);
      const o = JSON.parse(lines.stdout) as CheckOutcome;
      expect(JSON.parse(quiet.stdout)).toEqual(o); // the lines change nothing

      const every = stderrLines(lines.stderr);
      for (const line of every) expect(line).toMatch(PROGRESS_LINE);
      // one line when judging starts, one per generated case judged (one thread: up to the failure), one when
      // shrinking starts (with nothing to judge), the last one
      expect(every[0]).toMatch(/^stampede check: judging: 0\/3 cases judged, /);
      expect(every).toHaveLength(1 + o.generatedJudged + 2);
      expect(every.slice(1, -2).map((l) => /^stampede check: judging: (\d+)\/3 cases judged/.exec(l)?.[1])).toEqual(
        Array.from({ length: o.generatedJudged }, (_, i) => String(i + 1)),
      );
      expect(every.at(-2)).toMatch(/^stampede check: shrinking: 0\/0 shrink candidates judged/);
      expect(every.at(-1)).toMatch(
        new RegExp(`^stampede check: done: ${o.generatedJudged} generated cases? and 0 shrink candidates judged, `),
      );
      expect(stderrLines(quiet.stderr)).toHaveLength(2);

      const ce = o.counterexample!;
      expect(o.shrink).toEqual({ steps: 0, budget: 0, exhausted: true, smaller: 0 });
      expect(ce.shrinks).toBe(0);
      expect(ce.path).toBe(String(ce.failedAfterRuns - 1)); // the generated case itself, no shrink step
      expect(o.judged).toBe(o.generatedJudged);
      expect(o.generatedJudged).toBe(ce.failedAfterRuns);
      expect(Object.values(o.counts).reduce((a, b) => a + b, 0)).toBe(o.generatedJudged);
      // unshrunk: not yet one pod at a time
      expect(ce.rolloutCase.policy.router.maxSurge).not.toBe(1);
      expect(ce.replay).toBe(`stampede check ${SMALL} --seed 1 --runs 3 --replay ${ce.path}`);

      const again = await stampede([...ce.replay.split(' ').slice(1), '--json']);
      expect(again.code).toBe(3);
      const r = JSON.parse(again.stdout) as CheckOutcome;
      expect(r.counterexample!.rolloutCase).toEqual(ce.rolloutCase);
      expect(r.counterexample!.verdict.traceHash).toBe(ce.verdict.traceHash);
    },
    LONG,
  );

  it(
    '--max-shrink 2 stops after 2 shrink candidates and says so in text, JSON and the report; the counts match what they itemise; the replay reproduces the case',
    async () => {
      const page = join(mkdtempSync(join(tmpdir(), 'stampede-check-')), 'budget.html');
      const args = ['check', SMALL, '--runs', '3', '--seed', '1', '--max-shrink', '2'];
      const [json, text] = await Promise.all([stampede([...args, '--json']), stampede([...args, '--report', page])]);
      expect(json.code).toBe(3);
      expect(text.code).toBe(3);
      const o = JSON.parse(json.stdout) as CheckOutcome;
      const ce = o.counterexample!;
      expect(o.shrink).toEqual({ steps: 2, budget: 2, exhausted: true, smaller: ce.shrinks });
      expect(ce.path.split(':')).toHaveLength(1 + ce.shrinks);
      expect(o.judged).toBe(o.generatedJudged + 2);
      // another worker thread may have been judging the case after the failure: reported apart, never in the counts
      expect(o.judgedPastFailure).toBeGreaterThanOrEqual(0);
      expect(o.judgedPastFailure).toBeLessThan(availableParallelism());
      const withPast = formatCheckOutcome({ ...o, judgedPastFailure: 1 }, loadTopologyFile(join(repoRoot, SMALL)), plain).join('\n');
      expect(withPast).toContain('; 1 more judged in parallel after the failure, not counted (fast-check stops at the first failure)');
      expect(Object.values(o.counts).reduce((a, b) => a + b, 0)).toBe(o.generatedJudged);

      expect(text.stdout).toMatch(
        /^fails: case \d+ of 3 is metastable; shrunk in 2 steps, stopped at --max-shrink 2 \(\d+ smaller failing cases? found\); the case may shrink further:$/m,
      );
      // "judged N cases: G generated, up to the failure (tally), and S shrink candidates": N = G + S, the tally sums to G
      const judged =
        /^judged (\d+) cases: (\d+) generated, up to the failure \(([^)]*)\), and 2 shrink candidates \(\d+ of them still metastable\)(?:; (\d+) more judged in parallel after the failure, not counted \(fast-check stops at the first failure\))?$/m.exec(
          text.stdout,
        );
      expect(judged).not.toBeNull();
      const [, n, g, tally, past] = judged!;
      if (past !== undefined) expect(Number(past)).toBeGreaterThan(0);
      expect(Number(n)).toBe(o.judged);
      expect(Number(g)).toBe(o.generatedJudged);
      expect(tally!.split(', ').reduce((sum, part) => sum + Number(part.split(' ')[0]), 0)).toBe(Number(g));
      expect(text.stdout).toContain(`replay exactly this case: ${ce.replay}`);
      expect(ce.replay).not.toContain('--max-shrink'); // a replay judges one case, it does not shrink

      const html = readFileSync(page, 'utf8');
      expect(html).toContain(`${o.generatedJudged} generated cases + 2 shrink candidates judged`);
      expect(html).toContain('stopped at --max-shrink 2; it may shrink further');
      expect(html).toContain(`verdicts of the ${o.generatedJudged} generated cases`);
      const pills = [...html.matchAll(/<span class="pill (\w+)">\1<\/span> (\d+)<\/span>/g)].map((m) => Number(m[2]));
      expect(pills).toHaveLength(4);
      expect(pills.reduce((a, b) => a + b, 0)).toBe(o.generatedJudged);
      expect(html).toContain(`stampede check ${SMALL} --seed 1 --runs 3 --max-shrink 2</pre>`); // rerunning the check shrinks as far

      const again = await stampede([...ce.replay.split(' ').slice(1), '--json']);
      expect(again.code).toBe(3);
      const r = JSON.parse(again.stdout) as CheckOutcome;
      expect(r.counterexample!.rolloutCase).toEqual(ce.rolloutCase);
      expect(r.counterexample!.verdict.traceHash).toBe(ce.verdict.traceHash);
    },
    LONG,
  );

  it('refuses a --max-shrink that is not a whole number of 0 or more, in one line, with exit code 2', async () => {
    const results = await Promise.all(['-1', 'x', '1.5', ''].map((v) => stampede(['check', SMALL, '--max-shrink', v])));
    for (const [i, r] of results.entries()) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`option '--max-shrink <n>' argument '${['-1', 'x', '1.5', ''][i]}' is invalid`);
      expect(r.stderr).toContain('expected a whole number of shrink candidates from 0 to 1000000');
    }
    const env = await stampede(['check', SMALL], { STAMPEDE_PROGRESS_SECONDS: 'often' });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain("STAMPEDE_PROGRESS_SECONDS expects seconds between progress lines, 0 or more, e.g. 5, got 'often'");
  });
});

describe('check progress off a terminal', () => {
  it('writes at most one line per interval, from events and from the ticker, and a last line when done; nothing on the bar stream', () => {
    let t = 0;
    const written: string[] = [];
    let tick: (() => void) | undefined;
    const bar = { write: () => expect.unreachable('no bar off a terminal'), isTTY: false } as unknown as NodeJS.WritableStream;
    const p = checkProgress(bar, false, {
      stream: { write: (s: string) => written.push(s) },
      intervalMs: 5000,
      now: () => t,
      every: (ms, f) => {
        expect(ms).toBe(5000);
        tick = f;
        return () => {
          tick = undefined;
        };
      },
    });
    p.start(3);
    expect(written).toEqual(['stampede check: judging: 0/3 cases judged, 0.0 s elapsed\n']);
    t = 1000;
    p.judged('recovered'); // too soon after the last line
    expect(written).toHaveLength(1);
    t = 5000;
    tick!(); // a judgement running long: the ticker shows the run is alive
    expect(written[1]).toBe('stampede check: judging: 1/3 cases judged (1 recovered), 5.0 s elapsed\n');
    t = 6000;
    p.judged('metastable');
    p.shrinking(50);
    expect(written).toHaveLength(2);
    t = 10_500;
    p.shrinkStep(true);
    expect(written[2]).toBe(
      'stampede check: shrinking: 1/50 shrink candidates judged (1 smaller failing); 2/3 cases judged (1 recovered, 1 metastable), 10.5 s elapsed\n',
    );
    t = 743_000;
    p.done(2, 1);
    p.stop();
    expect(tick).toBeUndefined();
    expect(written[3]).toBe('stampede check: done: 2 generated cases and 1 shrink candidate judged, 12 min 23 s elapsed\n');
    expect(formatElapsed(59_949)).toBe('59.9 s');
  });

  it('is silent when neither a terminal nor a line stream is given', () => {
    const bar = { write: () => expect.unreachable('silent'), isTTY: false } as unknown as NodeJS.WritableStream;
    const p = checkProgress(bar, false);
    p.start(1);
    p.judged('recovered');
    p.done(1, undefined);
    p.stop();
  });
});
