/**
 * @stampede/check — the metastability oracle, fast-check arbitraries for
 * rollout policies, and the properties built on them.
 */

export { applyPolicy, type DeploymentPolicy, describePolicy, type RolloutPolicy, rolloutPolicy } from './arbitraries.ts';
export { applyFaults, describeFault, describeFaults, type Fault, type FaultScheduleOptions, faultSchedule } from './faults.ts';
export { type OracleOptions, resolveOracleOptions } from './options.ts';
export { judge, type SustainingLoop, type Verdict, type VerdictKind } from './oracle.ts';
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
export {
  applyVariation,
  describeVariation,
  type TopologyArbitraryOptions,
  type TopologyVariation,
  topology,
  topologyVariation,
} from './topologies.ts';
