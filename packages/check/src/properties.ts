/**
 * Properties over generated rollout policies, usable in anyone's vitest
 * suite with fast-check (`fc.assert(noSelfSustainingFailureLoop(topology))`).
 *
 * A failure throws an error whose message is the policy in words, the
 * verdict's evidence and the simulation seed, so fast-check's report (which
 * adds its own seed and path) says what broke and how to replay it.
 */
import { type PlatformParams, runPlatform } from '@stampede/model';
import fc from 'fast-check';
import { applyPolicy, describePolicy, type RolloutPolicy, rolloutPolicy } from './arbitraries.ts';
import type { OracleOptions } from './options.ts';
import { judge, type Verdict } from './oracle.ts';

/** Thrown by the property when a policy leads to a self-sustaining failure loop. */
export class SelfSustainingLoopError extends Error {
  override name = 'SelfSustainingLoopError';
  constructor(
    readonly policy: RolloutPolicy,
    readonly verdict: Verdict,
    topology?: PlatformParams,
  ) {
    super(`rollout policy (${describePolicy(policy, topology)}) with simulation seed ${verdict.seed} is metastable: ${verdict.evidence}`);
  }
}

/** Simulation seeds: shrink toward 0. */
const simulationSeed = fc.integer({ min: 0, max: 0xffff });

/** For every generated rollout policy and seed, the topology is never metastable. */
export function noSelfSustainingFailureLoop(topology: PlatformParams, oracle?: OracleOptions) {
  return fc.property(rolloutPolicy(topology), simulationSeed, (policy, seed) => {
    const verdict = judge(applyPolicy(topology, policy), seed, oracle);
    if (verdict.verdict === 'metastable') throw new SelfSustainingLoopError(policy, verdict, topology);
  });
}

/**
 * The sanity law (DESIGN §7): on a topology whose routers never hold an
 * abandoned acquire (an elastic pool, or a fixed pool that cancels them), no
 * rollout policy is ever judged metastable.
 */
export function sanityLaw(topology: PlatformParams, oracle?: OracleOptions) {
  const pools = [
    topology.router.pool,
    ...topology.timeline.flatMap((e) => (e.kind === 'rollout' && e.pool ? [{ ...topology.router.pool, ...e.pool }] : [])),
  ];
  const safe = pools.every((p) => p.mode === 'elastic' || p.cancelAbandonedAcquires);
  if (!safe)
    throw new Error(`sanityLaw: topology '${topology.name}' has a fixed pool that keeps abandoned acquires: the law does not apply to it`);
  return noSelfSustainingFailureLoop(topology, oracle);
}

/**
 * Conservation, always: every connection attempt ends in exactly one outcome,
 * every task in one, pool occupancy never exceeds its limit, no count goes
 * negative — for every policy and seed.
 */
export function conservationLaws(topology: PlatformParams) {
  return fc.property(rolloutPolicy(topology), simulationSeed, (policy, seed) => {
    const { summary } = runPlatform(applyPolicy(topology, policy), { seed });
    if (!summary.conservation.held) {
      throw new Error(
        `rollout policy (${describePolicy(policy, topology)}) with seed ${seed} broke conservation: ${summary.conservation.violations.join('; ')}`,
      );
    }
  });
}
