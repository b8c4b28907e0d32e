/**
 * @stampede/check — the metastability oracle: does a topology recover by
 * itself from its trigger, slowly, or not at all (a self-sustaining loop)?
 */

export { type OracleOptions, resolveOracleOptions } from './options.ts';
export { judge, type SustainingLoop, type Verdict, type VerdictKind } from './oracle.ts';
