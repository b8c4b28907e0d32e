/**
 * What-if benchmark: branches of the Prod4 incident (2,000 delegates) at
 * minute 15, each judged by the oracle and run for its impact, the way
 * `stampede whatif` does them, one after another in this thread, made both
 * ways in one run: re-running the 15 minutes before the action per branch,
 * and forked from one run of those minutes (the trunk: both the run as written
 * and the run the oracle judges, built and run to minute 15 inside the first
 * forked branch's time, so the forked total pays for its shared past).
 * Interleaved (re-run, forked, re-run, …) so that a busy machine slows both alike.
 *
 * Prints one JSON line:
 * {"bench":"whatif","delegates":2000,"atMin":15,"branches":…,"reRun":{"branchesPerMinute":…,"medianBranchSec":…},
 *  "forked":{"branchesPerMinute":…,"medianBranchSec":…,"forkMs":…},"speedup":…}
 * Knobs: BENCH_WHATIF_ROUNDS (default 2: every action that many times, each way).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ControlRuns, planWhatif, runBranch, Trunks } from '@stampede/check';
import { buildPlatform, forkPlatform, readTopologyYaml } from '@stampede/model';
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
const job = (i: number) => {
  const b = plan.branches[i]!;
  return { index: i, params: b.params, judged: b.judged, atMs: AT_MS, seed: 1, engine: 'compiled' as const, withRun: true };
};
runBranch(job(0)); // warm up (module load, JIT) outside the measurement
runBranch({ ...job(0), trunk: plan.asWritten }, new Trunks(), new ControlRuns());

const trunks = new Trunks();
const controls = new ControlRuns();
// both ways share control runs between branches that leave the same configuration behind: the ratio is the forking's
const reRunControls = new ControlRuns();
const secs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const reRun: number[] = [];
const forked: number[] = [];
for (let r = 0; r < rounds; r++)
  for (let i = 0; i < ACTIONS.length; i++) {
    let start = process.hrtime.bigint();
    runBranch(job(i), undefined, reRunControls);
    reRun.push(secs(start));
    start = process.hrtime.bigint();
    runBranch({ ...job(i), trunk: plan.asWritten }, trunks, controls);
    forked.push(secs(start));
  }

// the cost of one fork alone: the run as written at 14:59.999, copied
const parent = buildPlatform(plan.asWritten, 1);
parent.sim.queue.runBefore(AT_MS);
const forkTimes: number[] = [];
for (let i = 0; i < 7; i++) {
  const start = process.hrtime.bigint();
  forkPlatform(parent, plan.asWritten);
  forkTimes.push(secs(start) * 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (xs: number[]) => {
  const total = xs.reduce((a, b) => a + b, 0);
  return { branchesPerMinute: Number(((xs.length / total) * 60).toFixed(1)), medianBranchSec: Number(median(xs).toFixed(2)) };
};
const a = summary(reRun);
const b = { ...summary(forked), forkMs: Number(median(forkTimes).toFixed(0)) };
const speedup = Number((b.branchesPerMinute / a.branchesPerMinute).toFixed(2));
console.log(
  `whatif: ${reRun.length} branches of the incident at 2,000 delegates at minute 15, each judged and run, each way on one thread: ` +
    `re-run ${a.branchesPerMinute} branches/min (median ${a.medianBranchSec} s), forked ${b.branchesPerMinute} branches/min ` +
    `(median ${b.medianBranchSec} s, trunk included; one fork ${b.forkMs} ms): ×${speedup}`,
);
console.log(JSON.stringify({ bench: 'whatif', delegates: 2000, atMin: 15, branches: reRun.length, reRun: a, forked: b, speedup }));
