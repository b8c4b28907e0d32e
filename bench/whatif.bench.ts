/**
 * What-if benchmark: branches of the Prod4 incident (2,000 delegates) at
 * minute 15, each judged by the oracle and run for its impact, the way
 * `stampede whatif` does them, one after another in this thread. Every branch
 * re-runs the 15 minutes before its action today; this line is the baseline a
 * forked branch (sharing one run to minute 15) will be measured against.
 *
 * Prints one JSON line:
 * {"bench":"whatif","branching":"re-run","delegates":2000,"atMin":15,"branches":…,"branchesPerMinute":…,"medianBranchSec":…}
 * Knobs: BENCH_WHATIF_ROUNDS (default 2: every action that many times).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planWhatif, runBranch } from '@stampede/check';
import { readTopologyYaml } from '@stampede/model';
import { xstateBuild } from './xstate-build.ts';

const AT_MS = 15 * 60_000;
const ACTIONS = [
  '{rollback: router}',
  '{restart: router}',
  '{reconfigure: router, pool: {maxIdleTime: 1m}}',
  '{scale: router, replicas: 8, minReplicas: 8, maxReplicas: 8}',
  '{kill: router, count: 2}',
];
const rounds = Number(process.env.BENCH_WHATIF_ROUNDS ?? 2);
xstateBuild();

const file = fileURLToPath(new URL('../examples/topologies/prod4-incident.yaml', import.meta.url));
const plan = planWhatif(readTopologyYaml(readFileSync(file, 'utf8'), file), file, AT_MS, ACTIONS);
const branch = (i: number) => {
  const b = plan.branches[i]!;
  return runBranch({ index: i, params: b.params, judged: b.judged, atMs: AT_MS, seed: 1, engine: 'compiled', withRun: true });
};
branch(0); // warm up (module load, JIT) outside the measurement

const times: number[] = [];
for (let r = 0; r < rounds; r++)
  for (let i = 0; i < ACTIONS.length; i++) {
    const start = process.hrtime.bigint();
    branch(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
const total = times.reduce((a, b) => a + b, 0);
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const perMinute = (times.length / total) * 60;
console.log(
  `whatif (re-run): ${times.length} branches of the incident at 2,000 delegates at minute 15, each judged and run, in ${total.toFixed(1)} s on one thread: ` +
    `${perMinute.toFixed(1)} branches/min, median ${median.toFixed(2)} s a branch`,
);
console.log(
  JSON.stringify({
    bench: 'whatif',
    branching: 're-run',
    delegates: 2000,
    atMin: 15,
    branches: times.length,
    branchesPerMinute: Number(perMinute.toFixed(1)),
    medianBranchSec: Number(median.toFixed(2)),
  }),
);
