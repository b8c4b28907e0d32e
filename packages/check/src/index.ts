/**
 * @stampede/check — the metastability oracle, fast-check arbitraries for
 * rollout policies, and the properties built on them.
 */

export { applyPolicy, type DeploymentPolicy, describePolicy, type RolloutPolicy, rolloutPolicy } from './arbitraries.ts';
export { type OracleOptions, resolveOracleOptions } from './options.ts';
export { judge, type SustainingLoop, type Verdict, type VerdictKind } from './oracle.ts';
export { conservationLaws, noSelfSustainingFailureLoop, SelfSustainingLoopError, sanityLaw } from './properties.ts';
