/**
 * @stampede/check — the metastability oracle, fast-check arbitraries for
 * rollout policies, and the properties built on them.
 */

export { applyPolicy, type DeploymentPolicy, describePolicy, type RolloutPolicy, rolloutPolicy } from './arbitraries.ts';
export {
  type CaseVerdictRecord,
  CHECK_SHARD_FORMAT,
  CHECK_SHARD_FORMAT_VERSION,
  type CheckDefinition,
  type CheckShard,
  checkShardFileName,
  checkShardIssues,
  MAX_CHECK_RUNS,
  type MergedCheckShards,
  mergeCheckShards,
  shardCaseIndices,
} from './check-shard.ts';
export { ControlRuns } from './control-runs.ts';
export { applyFaults, describeFault, describeFaults, type Fault, type FaultScheduleOptions, faultSchedule } from './faults.ts';
export { type OracleOptions, resolveOracleOptions } from './options.ts';
export {
  judge,
  judgePlatform,
  type Severity,
  SUSTAINING_LOOPS,
  type SustainingLoop,
  VERDICT_KINDS,
  type Verdict,
  type VerdictKind,
} from './oracle.ts';
export type { CaseVerdict } from './parallel/check-worker.ts';
export { createJudgePool, type JudgePool } from './parallel/judge-pool.ts';
export { createThreadPool, serveJobs, type ThreadPool } from './parallel/thread-pool.ts';
export { runBounded, siblingModule, startWorker } from './parallel/worker-start.ts';
export {
  applyCase,
  conservationLaws,
  describeCase,
  noSelfSustainingFailureLoop,
  type RolloutCase,
  type RolloutCaseOptions,
  rolloutCase,
  SelfSustainingLoopError,
  sanityLaw,
} from './properties.ts';
export { cellCoords, cellIndex, checkAxisCount, MAX_AXES, planSweep, type SweepAxis, type SweepPlan } from './sweep.ts';
export { type AxisKind, type AxisSpec, DEFAULT_STEPS, formatAxisValue, MAX_STEPS, parseVary } from './sweep-axis.ts';
export { isUnsafe, judgeCell, type SweepCell, UNSAFE_VERDICTS } from './sweep-cell.ts';
export { axisVary, type SweepEdge, sweepEdges, widenedVary } from './sweep-edge.ts';
export { SweepError } from './sweep-error.ts';
export { SWEEP_FILES, sweepToCsv, sweepToJson } from './sweep-export.ts';
export { type MarginAxisChange, type MarginCell, type MarginStatus, type SweepMargin, sweepMargin } from './sweep-margin.ts';
export { assembleSweep, cellCountOf, type SweepDefinition, type SweepResult } from './sweep-result.ts';
export {
  makeShard,
  mergeShards,
  parseShard,
  type ShardSpec,
  type SweepShard,
  shardCellIndices,
  shardFileName,
  shardIssues,
  sweepDifference,
} from './sweep-shard.ts';
export {
  applyVariation,
  describeVariation,
  type TopologyArbitraryOptions,
  type TopologyVariation,
  topology,
  topologyVariation,
} from './topologies.ts';
export { type LatestProbe, type LatestResult, latestMinute } from './whatif/latest.ts';
export { MAX_SNAPSHOTS_PER_TRUNK, Trunks } from './whatif/trunks.ts';
export { WhatifError } from './whatif/whatif-error.ts';
export { actionName, type Branch, MAX_TRIES, parseAction, planWhatif, type WhatifPlan } from './whatif/whatif-plan.ts';
export {
  assembleWhatif,
  impactAvoided,
  WHATIF_FORMAT,
  WHATIF_FORMAT_VERSION,
  type WhatifBranch,
  type WhatifResult,
} from './whatif/whatif-result.ts';
export { type BranchJob, type BranchResult, runBranch } from './whatif/whatif-run.ts';
export type {
  AssumptionFinding,
  Calibration,
  JudgedRun,
  ObservationOutcome,
  ObservedRun,
  WorldCalibration,
} from './worlds/calibration.ts';
export { clock, type ObservationResult } from './worlds/observation.ts';
export type { CellOutcome, RobustCell, RobustFlip, RobustRow, RobustScoreboard } from './worlds/robust-scoreboard.ts';
export { WorldsError } from './worlds/worlds-error.ts';
export {
  type Assumption,
  describeCriterion,
  MAX_WORLDS,
  type Observation,
  parseWorldsFile,
  specTopologies,
  type WorldsSpec,
  type WorldsTopology,
} from './worlds/worlds-file.ts';
export { describeWorld, enumerateWorlds, planWorlds, type World, type WorldsPlan } from './worlds/worlds-plan.ts';
export {
  assembleWorlds,
  executeHere,
  runWorlds,
  runWorldsJob,
  WORLDS_FORMAT,
  WORLDS_FORMAT_VERSION,
  type WorldsJob,
  type WorldsJobResult,
  type WorldsResult,
  type WorldsRuns,
} from './worlds/worlds-run.ts';
export {
  type MergedWorlds,
  mergeWorldsShards,
  shardWorldIndices,
  WORLDS_SHARD_FORMAT,
  WORLDS_SHARD_FORMAT_VERSION,
  type WorldsShard,
  worldsShardFileName,
  worldsTextSha256,
} from './worlds/worlds-shard.ts';
