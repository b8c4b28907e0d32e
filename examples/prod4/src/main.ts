/**
 * `pnpm replay`: the Prod4 incident replayed from its mechanisms.
 * Usage: pnpm replay [--seed N]
 *
 * Prints, per scenario, the connected fraction per minute as a sparkline, when
 * the storm started and ended, the impact, the trace hash and a replay
 * command. (The full CLI with YAML topologies and the mitigation scoreboard is
 * the next step; see the README's status.)
 */
import { parseArgs } from 'node:util';
import { type PlatformParams, prod4ElasticBaseline, prod4Incident, runPlatform } from '@stampede/model';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' } } });
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
  console.error(`--seed must be an integer between 0 and 4294967295, got ${JSON.stringify(values.seed)}`);
  process.exit(2);
}

const MIN = 60_000;
const scenarios: [string, PlatformParams][] = [
  ['incident (fixed pool, rollback at 52 min)', prod4Incident()],
  ['elastic baseline (same rollouts)', prod4ElasticBaseline()],
  ['incident + cancel abandoned acquires (the sustaining switch off)', prod4Incident({ pool: { cancelAbandonedAcquires: true } })],
];
const BARS = '▁▂▃▄▅▆▇█';
const fmt = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / MIN).toFixed(1)} min`);

console.log(
  `stampede replay: seed ${seed}, ${scenarios[0]![1].delegates.count} delegates, ${scenarios[0]![1].durationMs / MIN} simulated minutes each`,
);
for (const [label, params] of scenarios) {
  const r = runPlatform(params, { seed });
  const s = r.summary;
  let line = '';
  for (let m = 1; m <= params.durationMs / MIN; m++) {
    const i = r.connected.timesMs.findIndex((t) => t >= m * MIN);
    const v = i < 0 ? 1 : r.connected.values[i]!;
    line += BARS[Math.min(BARS.length - 1, Math.floor(v * BARS.length))];
  }
  console.log(`\n${label}`);
  console.log(`  connected/min ${line}`);
  console.log(
    `  storm from ${fmt(s.stormStartMs)}, first recovered (held 10 min) at ${fmt(s.firstRecoveredAtMs)}, lowest ${(s.minConnectedFraction * 100).toFixed(0)}%`,
  );
  console.log(
    `  impact: ${s.impact.blockedPipelines} blocked pipelines, ${s.impact.failedSecretResolutions} failed secret resolutions, ${s.impact.apiErrors} API errors`,
  );
  console.log(
    `  conservation ${s.conservation.held ? 'held' : `BROKEN: ${s.conservation.violations.join('; ')}`}, trace hash ${s.traceHash}`,
  );
}
console.log(`\nreplay: pnpm replay --seed ${seed}`);
