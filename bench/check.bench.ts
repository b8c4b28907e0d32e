/**
 * Check benchmark: generated rollout policies judged per minute, the way
 * `stampede check` judges them (one long-lived worker thread per CPU, each
 * case a full simulation plus the oracle's control run when the storm is
 * stationary), on the incident at 1,000 delegates over 1 simulated hour.
 *
 * Every generated case is judged (a check stops at its first failure; a
 * benchmark must not). Prints one JSON line:
 * {"bench":"check","delegates":…,"simulatedSec":…,"policiesPerMinute":…,"workers":…}
 * Knobs: BENCH_CHECK_POLICIES (default 24), BENCH_CHECK_WORKERS (default: all CPUs),
 * BENCH_CHECK_ENGINE (compiled, the default, or xstate).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJudgePool, rolloutCase, type VerdictKind } from '@stampede/check';
import { loadTopologyFile, prod4Incident, steadyStateLimit } from '@stampede/model';
import fc from 'fast-check';
import { xstateBuild } from './xstate-build.ts';

const DELEGATES = 1000;
const SIMULATED_SEC = 3600;
const policies = Number(process.env.BENCH_CHECK_POLICIES ?? 24);
const workers = Number(process.env.BENCH_CHECK_WORKERS ?? availableParallelism());
const engine = process.env.BENCH_CHECK_ENGINE === 'xstate' ? 'xstate' : 'compiled';
xstateBuild(); // refuses xstate's development build (the worker threads resolve it the same way)

// the 200-delegate example scaled to 1,000 the way prod4Incident({ delegates }) scales it, over one hour
const small = readFileSync(fileURLToPath(new URL('../examples/topologies/prod4-incident-small.yaml', import.meta.url)), 'utf8');
const reference = prod4Incident({ delegates: DELEGATES });
const limit = steadyStateLimit(DELEGATES, reference.router.replicas);
const yaml = small
  .replace('count: 200', `count: ${DELEGATES}`)
  .replace('duration: 75m', `duration: ${SIMULATED_SEC}s`)
  .replaceAll('maxConnections: 69', `maxConnections: ${limit}`)
  .replace('replicas: 3 #', `replicas: ${reference.manager.replicas} #`)
  .replace('pipelinesPerMinute: 3 #', `pipelinesPerMinute: ${reference.workload.pipelinesPerMinute} #`)
  .replace('apiRequestsPerSecond: 0.5 #', `apiRequestsPerSecond: ${reference.workload.apiRequestsPerSecond} #`);
const dir = mkdtempSync(join(tmpdir(), 'stampede-bench-'));
const file = join(dir, 'incident-1k.yaml');
writeFileSync(file, yaml);
const topology = loadTopologyFile(file);
const expected = { ...reference, name: 'prod4-incident-small', durationMs: SIMULATED_SEC * 1000 };
if (JSON.stringify(topology) !== JSON.stringify(expected))
  throw new Error('check bench: the scaled topology differs from prod4Incident({ delegates: 1000 })');

const cases = fc.sample(rolloutCase(topology), { seed: 1, numRuns: policies });
const pool = createJudgePool(topology, workers, engine);
const verdicts: Record<VerdictKind, number> = { recovered: 0, slow: 0, metastable: 0, overloaded: 0 };
// warm the threads (tsx, module load) outside the measurement, on a case not counted
await Promise.all(Array.from({ length: workers }, (_, i) => pool.judge({ ...cases[0]!, seed: 0xffff - i })));
const start = process.hrtime.bigint();
await Promise.all(
  cases.map(async (c) => {
    verdicts[(await pool.judge(c)).verdict]++;
  }),
);
const wallSec = Number(process.hrtime.bigint() - start) / 1e9;
await pool.close();
rmSync(dir, { recursive: true, force: true });

const policiesPerMinute = (policies / wallSec) * 60;
console.log(
  `check (${engine}): ${policies} generated policies at ${DELEGATES} delegates over ${SIMULATED_SEC} simulated s on ${workers} worker threads in ${wallSec.toFixed(1)} s wall: ` +
    `${policiesPerMinute.toFixed(1)} policies/min (${Object.entries(verdicts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')})`,
);
console.log(
  JSON.stringify({
    bench: 'check',
    engine,
    delegates: DELEGATES,
    simulatedSec: SIMULATED_SEC,
    policiesPerMinute: Number(policiesPerMinute.toFixed(1)),
    workers,
  }),
);
