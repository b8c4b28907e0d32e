/**
 * End to end: `stampede run --json` and `stampede demo` on a tiny topology
 * (200 delegates, 15 simulated minutes), through the model's YAML loader;
 * `--engine xstate` (xstate's own interpreter) against the default compiled
 * machines on the 200-delegate incident.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

const dir = mkdtempSync(join(tmpdir(), 'stampede-e2e-'));
const file = join(dir, 'tiny.yaml');
writeFileSync(file, TINY);
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
    expect(demo.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      `replay: stampede run ${join(demoDir, 'prod4-incident.yaml')} --seed 5`,
      `replay: stampede run ${join(demoDir, 'action-1-pool-headroom.yaml')} --seed 5`,
    ]);
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
    expect({ ...x, engine: d.engine, replay: d.replay }).toEqual(d);
    const lines = text.stdout.trimEnd().split('\n');
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
    expect(r.stderr).toMatch(/delegates\.count: expected a positive integer, got -3/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
