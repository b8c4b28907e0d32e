/**
 * Properties over generated rollout policies, usable in anyone's vitest
 * suite with fast-check (`fc.assert(noSelfSustainingFailureLoop(topology))`).
 *
 * A failure throws an error whose message is the policy in words, the
 * verdict's evidence and the simulation seed, so fast-check's report (which
 * adds its own seed and path) says what broke and how to replay it.
 */
import { StampedeError, StampedeInputError } from '@stampede/kernel';
import { type PlatformParams, routerPoolsOf, runPlatform } from '@stampede/model';
import fc from 'fast-check';
import { applyPolicy, describePolicy, type RolloutPolicy, rolloutPolicy } from './arbitraries.ts';
import { applyFaults, describeFaults, type Fault, type FaultScheduleOptions, faultSchedule } from './faults.ts';
import type { OracleOptions } from './options.ts';
import { judge, type Verdict } from './oracle.ts';

/** One generated case: a rollout policy, the faults injected around it (none by default), and the simulation seed. */
export interface RolloutCase {
  policy: RolloutPolicy;
  faults: Fault[];
  seed: number;
}

export interface RolloutCaseOptions {
  /** also inject generated faults (pod kills, partitions, latency and load spikes). @defaultValue false */
  faults?: boolean | FaultScheduleOptions;
}

/** Thrown by the property when a policy leads to a self-sustaining failure loop. */
export class SelfSustainingLoopError extends StampedeError {
  override name = 'SelfSustainingLoopError';
  constructor(
    readonly rolloutCase: RolloutCase,
    readonly verdict: Pick<Verdict, 'seed' | 'evidence'>,
    topology?: PlatformParams,
  ) {
    super(`${describeCase(rolloutCase, topology)} is metastable: ${verdict.evidence}`);
  }
}

/** Simulation seeds: shrink toward 0. */
const simulationSeed = fc.integer({ min: 0, max: 0xffff });

/** Generated cases for a topology: shrink toward one pod at a time, no faults, seed 0. */
export function rolloutCase(topology: PlatformParams, options: RolloutCaseOptions = {}): fc.Arbitrary<RolloutCase> {
  const faults =
    options.faults === undefined || options.faults === false
      ? fc.constant<Fault[]>([])
      : faultSchedule(topology, options.faults === true ? {} : options.faults);
  return fc.record({ policy: rolloutPolicy(topology), faults, seed: simulationSeed });
}

/** The topology a case runs: the policy applied, then the faults added. */
export function applyCase(topology: PlatformParams, c: RolloutCase): PlatformParams {
  return applyFaults(applyPolicy(topology, c.policy), c.faults);
}

/** A case in words: the policy, the faults (if any) and the simulation seed. */
export function describeCase(c: RolloutCase, topology?: PlatformParams): string {
  return `rollout policy (${describePolicy(c.policy, topology)})${c.faults.length > 0 ? ` with faults (${describeFaults(c.faults)})` : ''} with simulation seed ${c.seed}`;
}

/** For every generated case (policy, faults if asked, seed), the topology is never metastable. */
export function noSelfSustainingFailureLoop(topology: PlatformParams, oracle?: OracleOptions, options: RolloutCaseOptions = {}) {
  return fc.property(rolloutCase(topology, options), (c) => {
    const verdict = judge(applyCase(topology, c), c.seed, oracle);
    if (verdict.verdict === 'metastable') throw new SelfSustainingLoopError(c, verdict, topology);
  });
}

/**
 * The sanity law (docs/design.md, "Property checks"): on a topology whose routers never hold an
 * abandoned acquire (an elastic pool, or a fixed pool that cancels them), no
 * rollout policy is ever judged metastable.
 */
export function sanityLaw(topology: PlatformParams, oracle?: OracleOptions, options: RolloutCaseOptions = {}) {
  // every pool the routers run: the base pool, and each rolled out or reconfigured over the one before it
  const pools = routerPoolsOf(topology);
  const safe = pools.every((p) => p.mode === 'elastic' || p.cancelAbandonedAcquires);
  if (!safe)
    throw new StampedeInputError(
      `sanityLaw: topology '${topology.name}' has a fixed pool that keeps abandoned acquires: the law does not apply to it`,
    );
  return noSelfSustainingFailureLoop(topology, oracle, options);
}

/**
 * Conservation, always: every connection attempt ends in exactly one outcome,
 * every task in one, pool occupancy never exceeds its limit, no count goes
 * negative — for every policy and seed.
 */
export function conservationLaws(topology: PlatformParams, options: RolloutCaseOptions = {}) {
  return fc.property(rolloutCase(topology, options), (c) => {
    const { summary } = runPlatform(applyCase(topology, c), { seed: c.seed });
    if (!summary.conservation.held) {
      throw new StampedeError(`${describeCase(c, topology)} broke conservation: ${summary.conservation.violations.join('; ')}`);
    }
  });
}
