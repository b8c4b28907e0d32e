/**
 * Every example topology (examples/topologies/*.yaml) gives the same run on
 * both engines: trace hash, event count, the whole summary (recovery times,
 * impact, conservation, rollout log) and the metrics series, for two seeds.
 * And the compiled run really ran compiled: every actor alive at the end
 * (every model machine among them) reports engineOf 'compiled', so the test
 * cannot pass by both sides running xstate.
 *
 * What is cut, and why: the files run 75 simulated minutes, most at 2,000
 * delegates, where the xstate engine takes ~8 s a run; 8 files × 2 seeds ×
 * 2 engines at full length would take minutes on a 2-core machine. Each file
 * runs as written except that `durationMs` is cut to 15 simulated minutes
 * (the trigger, the router and manager rollouts, is at 10 min: the burst,
 * the first five minutes of the storm and the first rollout waves are
 * covered; the rest of a storm repeats the same loops), or to 2 minutes past the
 * last timeline event before minute 40 when that is later (action 4's manager
 * release at 30 min: 32 min). The manual rollback at 52 min is not reached;
 * the rollback path is exercised by test/engines.test.ts. Measured: ~25 s for
 * the whole file on the shared 2-core machine (xstate ~80% of it).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineName } from '@stampede/kernel';
import { loadTopologyFile, type Platform, type PlatformParams, type RunResult, runPlatform } from '@stampede/model';
import { describe, expect, it } from 'vitest';

const MIN = 60_000;
const dir = fileURLToPath(new URL('../examples/topologies/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const SEEDS = [1, 2026];

/** The file as written, cut as the header says. */
function cut(params: PlatformParams): PlatformParams {
  const before40 = params.timeline.filter((e) => e.atMs < 40 * MIN).map((e) => e.atMs + 2 * MIN);
  return { ...params, durationMs: Math.min(params.durationMs, Math.max(15 * MIN, ...before40)) };
}

function run(params: PlatformParams, seed: number, engine: EngineName): { result: RunResult; engines: Map<string, string> } {
  let platform: Platform | undefined;
  const result = runPlatform(params, { seed, engine, onBuild: (p) => (platform = p) });
  const sim = platform!.sim;
  expect(sim.engine).toBe(engine);
  return { result, engines: new Map(sim.actors.ids().map((id) => [id, sim.actors.engineOf(id)])) };
}

/** delegate-17 → delegate, router-r2-3 → router, deploy-router stays */
const kindOf = (id: string) => id.replace(/-(r\d+-)?\d+$/, '');

describe('compiled engine = xstate engine on every example topology', () => {
  it('finds the example topologies', () => {
    expect(files).toContain('prod4-incident.yaml');
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    it(`${file}: same trace hash, event count, summary and series under both engines (seeds ${SEEDS.join(', ')})`, () => {
      const params = cut(loadTopologyFile(`${dir}${file}`));
      expect(params.durationMs).toBeGreaterThanOrEqual(15 * MIN);
      for (const seed of SEEDS) {
        const compiled = run(params, seed, 'compiled');
        const xstate = run(params, seed, 'xstate');
        expect(compiled.result.summary.traceHash, `trace hash, seed ${seed}`).toBe(xstate.result.summary.traceHash);
        expect(compiled.result.summary.events, `events, seed ${seed}`).toBe(xstate.result.summary.events);
        expect(compiled.result.summary, `summary, seed ${seed}`).toEqual(xstate.result.summary);
        expect(compiled.result.series, `series, seed ${seed}`).toEqual(xstate.result.series);
        // the run did something (the smallest file fires ~30,000 events in its window)
        expect(compiled.result.summary.events).toBeGreaterThan(10_000);
        // every actor alive at the end ran on the engine asked for, and every model machine is among them
        expect(new Set(compiled.engines.values()), `engines of the compiled run, seed ${seed}`).toEqual(new Set(['compiled']));
        expect(new Set(xstate.engines.values()), `engines of the xstate run, seed ${seed}`).toEqual(new Set(['xstate']));
        expect([...compiled.engines.keys()].sort()).toEqual([...xstate.engines.keys()].sort());
        const kinds = new Set([...compiled.engines.keys()].map(kindOf));
        const expected = ['delegate', 'deploy-manager', 'deploy-router', 'manager', 'router', 'workload'];
        if (params.router.autoscaling.enabled) expected.push('autoscaler');
        expect([...kinds].sort()).toEqual(expected.sort());
      }
    });
  }
});
