/**
 * @stampede/model — the delegate platform as xstate actors on the kernel:
 * delegates, router pods, manager pods, deployment controllers (rollouts),
 * the router autoscaler and the workload; scenarios and a runner.
 */

export { type AutoscalerInput, autoscaler } from './actors/autoscaler.ts';
export { type DelegateInput, delegate } from './actors/delegate.ts';
export { type DeploymentControllerInput, deploymentController } from './actors/deployment-controller.ts';
export { type ManagerPodInput, managerPod } from './actors/manager-pod.ts';
export { type RouterPodInput, routerPod } from './actors/router-pod.ts';
export { type WorkloadInput, workload } from './actors/workload.ts';
export { DEFAULTS, type DeepReadonly, defaultParams } from './defaults.ts';
export {
  createHpaState,
  type HpaBehavior,
  type HpaDecision,
  type HpaInput,
  type HpaPolicy,
  type HpaScalingRules,
  type HpaSpec,
  type HpaState,
  type HpaTargetType,
  hpaReconcile,
} from './kube/hpa.ts';
export {
  type IntOrPercent,
  planRollingStep,
  proportionalScale,
  type ReplicaSetSize,
  type RollingUpdateLimits,
  type RolloutCounts,
  type RolloutStep,
  resolveRollingUpdate,
} from './kube/rolling-update.ts';
export type * from './params.ts';
export { type BuildOptions, buildPlatform, connectedFraction, MANAGER_CONTROLLER, type Platform, ROUTER_CONTROLLER } from './platform.ts';
export { forkPlatform, whyNotBranch } from './platform-fork.ts';
export { continueRun, type Impact, type RunOptions, type RunResult, type RunSummary, runPlatform } from './run.ts';
export { ACTION_ITEMS, prod4ElasticBaseline, prod4Incident, prod4Mitigated, type ScenarioOptions, steadyStateLimit } from './scenarios.ts';
export { STORM_CONNECTED_FRACTION_BELOW, stormStartOf } from './storm.ts';
export { eventEndMs, inTimeOrder, routerPoolAfter, routerPoolsOf, settledConfiguration } from './timeline-effects.ts';
export {
  didYouMean,
  estimateRunSize,
  FIELD_DOCS,
  type FieldDoc,
  fieldDefault,
  formatDuration,
  loadTopologyFile,
  loadTopologyText,
  MAX_LISTED_ISSUES,
  parseDuration,
  parseTopology,
  RANGES,
  RUN_SIZE_LIMITS,
  type RunSizeEstimate,
  readTopologyYaml,
  type SchemaField,
  type SettingRow,
  schemaFields,
  TopologyError,
  type TopologyInput,
  type TopologyIssue,
  topologyReferenceMarkdown,
  topologySettings,
} from './topology/index.ts';
