/**
 * End to end: `stampede run --json` and `stampede demo` on a tiny topology
 * (200 delegates, 15 simulated minutes), through the model's YAML loader;
 * the oracle's verdict that `run` prints first, beside the run as written;
 * `--engine xstate` (xstate's own interpreter) against the default compiled
 * machines on the 200-delegate incident.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatVerdict } from '../src/verdict.ts';
import { stampede } from './cli.helpers.ts';

// A topology as in examples/topologies: a manager rolling update 5 minutes in.
const TINY = `
name: tiny
description: 200 delegates, a manager rolling update at 5 min, 15 simulated minutes
duration: 15m
delegates:
  count: 200
timeline:
  - at: 5m
    rollout: manager
    label: delegate-manager rolling update
`;

// No timeline at all: nothing for the oracle to judge.
const QUIET = `
name: quiet
description: 100 delegates in steady state for 6 simulated minutes
duration: 6m
delegates:
  count: 100
`;

const dir = mkdtempSync(join(tmpdir(), 'stampede-e2e-'));
const file = join(dir, 'tiny.yaml');
writeFileSync(file, TINY);
const quiet = join(dir, 'quiet.yaml');
writeFileSync(quiet, QUIET);
const VERDICT_HEAD = 'verdict (does it come back by itself? manual rollbacks left out): ';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stampede run and demo, end to end', () => {
  it('prints exactly one JSON object with the summary keys; the same seed gives the same trace hash', async () => {
    const [a, b] = await Promise.all([stampede(['run', file, '--seed', '5', '--json']), stampede(['run', file, '--seed', '5', '--json'])]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout.trimEnd().split('\n')).toHaveLength(1);
    const ja = JSON.parse(a.stdout);
    for (const key of [
      'seed',
      'traceHash',
      'recovered',
      'timeToRecoverSec',
      'storm',
      'timeToRecoverFromStormSec',
      'firstRecoveredAtSec',
      'minConnectedFraction',
      'blockedPipelines',
      'failedSecretResolutions',
      'apiErrors',
      'tasksFailed',
      'tasksExpired',
      'conservationHeld',
      'events',
    ]) {
      expect(ja).toHaveProperty(key);
    }
    expect(ja).toMatchObject({
      seed: 5,
      engine: 'compiled',
      delegates: 200,
      durationSec: 900,
      conservationHeld: true,
      replay: `stampede run ${file} --seed 5`,
    });
    expect(ja.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(b.stdout).traceHash).toBe(ja.traceHash);
    expect(JSON.parse(b.stdout)).toEqual(ja);
  });

  it('--out writes the three files; the human summary ends with the replay command', async () => {
    const out = join(dir, 'out');
    const r = await stampede(['run', file, '--seed', '5', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['series.csv', 'series.json', 'summary.json']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^stampede run ${file}: seed 5, engine compiled, 200 delegates, \\d+ routers? \\(.+\\), \\d+ managers?, 15 simulated minutes$`,
      ),
    );
    expect(lines.at(-1)).toBe(`replay: stampede run ${file} --seed 5`);
  });

  it('demo runs the scenario files found in --dir on worker threads and says which are missing', async () => {
    const demoDir = join(dir, 'demo');
    mkdirSync(demoDir);
    writeFileSync(join(demoDir, 'prod4-incident.yaml'), TINY);
    writeFileSync(join(demoDir, 'action-1-pool-headroom.yaml'), TINY.replace('name: tiny', 'name: tiny-2'));
    const [demo, single] = await Promise.all([
      stampede(['demo', '--dir', demoDir, '--seed', '5']),
      stampede(['run', join(demoDir, 'prod4-incident.yaml'), '--seed', '5', '--json']),
    ]);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/missing \(skipped\): prod4-elastic-baseline\.yaml, action-2-longer-acquire-timeout\.yaml/);
    const row = demo.stdout.split('\n').find((l) => l.startsWith('prod4-incident '))!;
    expect(row).toContain(JSON.parse(single.stdout).traceHash); // a worker's run is the same run
    // and the replay line's `stampede run` states the verdict the scoreboard shows
    expect(row.split(/\s{2,}/)[1]).toBe(JSON.parse(single.stdout).verdict.verdict);
    expect(demo.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      `replay: stampede run ${join(demoDir, 'prod4-incident.yaml')} --seed 5`,
      `replay: stampede run ${join(demoDir, 'action-1-pool-headroom.yaml')} --seed 5`,
    ]);
  });

  it("prints the oracle's verdict first (metastable: not by itself), then the run as written (recovered after the manual rollback); --json keeps them under distinct keys", async () => {
    const small = 'examples/topologies/prod4-incident-small.yaml';
    const [text, json] = await Promise.all([stampede(['run', small]), stampede(['run', small, '--json'])]);
    for (const r of [text, json]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const lines = text.stdout.trimEnd().split('\n');
    // the header and its timeline, a blank line, then the verdict before anything about the run
    const first = lines.indexOf('') + 1;
    expect(lines.slice(1, first - 1).every((l) => /^\s+\d+:\d\d {2}/.test(l))).toBe(true);
    expect(lines[first]).toMatch(
      /^verdict \(does it come back by itself\? manual rollbacks left out\): metastable \(abandoned-acquires\); not recovered at the deadline, minute \d+\.\d of the run: /,
    );
    expect(lines[first + 1]).toMatch(/^ {2}judged on engine compiled, without the manual rollback at 52:00 /);
    const asWritten = lines.indexOf('the run as written (manual rollback at 52:00 included):');
    expect(asWritten).toBeGreaterThan(first + 1);
    expect(lines.findIndex((l) => l.startsWith('recovered '))).toBeGreaterThan(asWritten);
    expect(lines).toContainEqual(
      expect.stringMatching(/^recovered {4}yes, .* after the storm began \(.* after the trigger; after the manual rollback at 52:00\)$/),
    );

    const j = JSON.parse(json.stdout);
    expect(j.recovered).toBe(true); // the run as written, thanks to the manual rollback
    expect(j.recoveredAtSec).toBeGreaterThanOrEqual(52 * 60);
    expect(j.verdict).toMatchObject({
      verdict: 'metastable',
      dominantLoop: 'abandoned-acquires',
      engine: 'compiled',
      rollbacksLeftOutAtSec: [52 * 60],
      recoveredAtSec: null,
      timeToRecoverSec: null,
      control: { healthy: true },
    });
    expect(j.verdictUnavailable).toBeNull();
    expect(lines[first]).toContain(j.verdict.evidence);
    // the oracle judged its own run (no rollback), not the run as written
    expect(j.verdict.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(j.verdict.traceHash).not.toBe(j.traceHash);
  });

  it('a topology without a trigger runs and says why there is no verdict: exit code 0, verdict null with the reason in JSON', async () => {
    const [text, json, q] = await Promise.all([
      stampede(['run', quiet, '--seed', '3']),
      stampede(['run', quiet, '--seed', '3', '--json']),
      stampede(['run', quiet, '--seed', '3', '--quiet']),
    ]);
    for (const r of [text, json, q]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      expect.stringMatching(/^stampede run .*quiet\.yaml: seed 3, /),
      '  (no timeline events: steady state only)',
      '',
      `${VERDICT_HEAD}not available: topology 'quiet' has no trigger (no timeline event but rollbacks): nothing to judge.`,
    ]);
    expect(lines).toContain('the run as written:');
    expect(lines.at(-1)).toBe(`replay: stampede run ${quiet} --seed 3`);
    expect(q.stdout.split('\n')[0]).toBe(lines[3]); // --quiet: the verdict still comes first
    const j = JSON.parse(json.stdout);
    expect(j.verdict).toBeNull();
    expect(j.verdictUnavailable).toMatch(/^topology 'quiet' has no trigger/);
    expect(j.recovered).toBe(true);
  });

  it('--engine xstate runs the incident (200 delegates) on the reference interpreter: the same trace hash and summary as compiled; it says so and replays on it', async () => {
    const small = 'examples/topologies/prod4-incident-small.yaml';
    const [byDefault, compiled, reference, text] = await Promise.all([
      stampede(['run', small, '--json']),
      stampede(['run', small, '--json', '--engine', 'compiled']),
      stampede(['run', small, '--json', '--engine', 'xstate']),
      stampede(['run', small, '--engine', 'xstate']),
    ]);
    for (const r of [byDefault, compiled, reference, text]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const d = JSON.parse(byDefault.stdout);
    const x = JSON.parse(reference.stdout);
    expect(JSON.parse(compiled.stdout)).toEqual(d);
    // "engine" is what the simulation reports it ran on, not the flag echoed
    expect(d.engine).toBe('compiled');
    expect(x.engine).toBe('xstate');
    expect(x.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(x.traceHash).toBe(d.traceHash);
    expect(x.events).toBe(d.events);
    expect(x.replay).toBe(`stampede run ${small} --seed 1 --engine xstate`);
    expect(d.replay).toBe(`stampede run ${small} --seed 1`);
    // the same verdict: the oracle's runs on xstate's own interpreter give the same trace hash too
    expect(d.verdict.verdict).toBe('metastable');
    expect(x.verdict.engine).toBe('xstate');
    expect({ ...x.verdict, engine: 'compiled' }).toEqual(d.verdict);
    expect({ ...x, engine: d.engine, replay: d.replay, verdict: d.verdict }).toEqual(d);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toContain(`${VERDICT_HEAD}${formatVerdict(d.verdict)}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}judged on engine xstate, /));
    expect(lines[0]).toMatch(new RegExp(`^stampede run ${small}: seed 1, engine xstate, 200 delegates, `));
    expect(lines).toContain(`trace hash   ${d.traceHash} (${d.events} events)`);
    expect(lines.at(-1)).toBe(`replay: stampede run ${small} --seed 1 --engine xstate`);
  });

  it('demo --engine xstate runs its workers on the reference interpreter and says so in the header and every replay', async () => {
    const demoDir = join(dir, 'demo-xstate');
    mkdirSync(demoDir);
    writeFileSync(join(demoDir, 'prod4-incident.yaml'), TINY);
    const [demo, single] = await Promise.all([
      stampede(['demo', '--dir', demoDir, '--seed', '5', '--engine', 'xstate', '--workers', '1']),
      stampede(['run', join(demoDir, 'prod4-incident.yaml'), '--seed', '5', '--json']),
    ]);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0); // a worker that ran another engine than asked would be a bug, exit code 1
    expect(demo.stdout.split('\n')[0]).toMatch(/^stampede demo: seed 5, engine xstate, 1 scenario from /);
    const row = demo.stdout.split('\n').find((l) => l.startsWith('prod4-incident '))!;
    expect(row).toContain(JSON.parse(single.stdout).traceHash);
    expect(demo.stdout.trimEnd().split('\n').at(-1)).toBe(
      `replay: stampede run ${join(demoDir, 'prod4-incident.yaml')} --seed 5 --engine xstate`,
    );
  });

  it('an invalid topology lists every issue on stderr, exit code 2, no stack', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nduration: fifteen\ndelegates:\n  count: -3\n');
    const r = await stampede(['run', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}: 2 problems`);
    expect(r.stderr).toMatch(/duration: expected a duration .*"fifteen"/);
    expect(r.stderr).toMatch(/delegates\.count: expected an integer from 1 to 100000 \(one actor per delegate; [^)]*\), got -3/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
