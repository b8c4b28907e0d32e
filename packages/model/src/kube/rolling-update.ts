/**
 * Kubernetes Deployment rolling-update arithmetic, as pure functions.
 *
 * The model's rollout actor asks two questions of the real deployment
 * controller (pkg/controller/deployment/rolling.go and util/deployment_util.go):
 * how many pods may be surged / missing (`resolveRollingUpdate`, the
 * controller's `ResolveFenceposts`), and, given what it observes right now,
 * how many new pods to create and old pods to remove (`planRollingStep`,
 * `reconcileNewReplicaSet` + `reconcileOldReplicaSets`). Keeping the
 * arithmetic here, free of actors and clocks, lets it be tested against the
 * controller's own worked examples and property-tested over every strategy.
 *
 * The Recreate strategy and mid-rollout changes of spec.replicas (which the
 * controller handles by scaling the new ReplicaSet *down*) are out of scope.
 */

import { StampedeInputError } from '@stampede/kernel';
import { show } from './show.ts';

/** A Kubernetes IntOrString as used by maxSurge / maxUnavailable: a pod count or a whole-number percentage of spec.replicas. */
export type IntOrPercent = number | `${number}%`;

/** maxSurge / maxUnavailable resolved to pod counts for one spec.replicas. */
export interface RollingUpdateLimits {
  maxSurgePods: number;
  maxUnavailablePods: number;
}

/** The Kubernetes defaults for a RollingUpdate strategy that leaves a field unset. */
export const ROLLING_UPDATE_DEFAULTS: { readonly maxSurge: IntOrPercent; readonly maxUnavailable: IntOrPercent } = Object.freeze({
  maxSurge: '25%',
  maxUnavailable: '25%',
});

/**
 * Resolves maxSurge / maxUnavailable to pod counts, exactly as the deployment controller's `ResolveFenceposts` does:
 * a maxSurge percentage rounds UP and a maxUnavailable percentage rounds DOWN (both of `replicas`), and if both come
 * out 0 maxUnavailable becomes 1 so that the rollout can make progress. Unset fields default to 25% / 25%.
 *
 * Percentages must be whole numbers ("25%", not "12.5%"), and maxUnavailable may not exceed "100%", because the API
 * server rejects anything else. A maxUnavailable count larger than `replicas` is returned as is; `planRollingStep`
 * caps it at spec.replicas like the controller's `MaxUnavailable`.
 *
 * @example resolveRollingUpdate(10) // { maxSurgePods: 3, maxUnavailablePods: 2 }
 * @example resolveRollingUpdate(3, { maxSurge: 1, maxUnavailable: 0 }) // "one pod at a time": { maxSurgePods: 1, maxUnavailablePods: 0 }
 */
export function resolveRollingUpdate(
  replicas: number,
  strategy?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent },
): RollingUpdateLimits {
  const fn = 'resolveRollingUpdate';
  if (!isNonNegativeInteger(replicas)) {
    throw new StampedeInputError(`${fn}: replicas must be a non-negative integer (spec.replicas), got ${show(replicas)}`);
  }
  if (strategy !== undefined && (strategy === null || typeof strategy !== 'object')) {
    throw new StampedeInputError(
      `${fn}: strategy must be an object like { maxSurge: "25%", maxUnavailable: 0 } or undefined, got ${show(strategy)}`,
    );
  }
  const maxSurge = strategy?.maxSurge ?? ROLLING_UPDATE_DEFAULTS.maxSurge;
  const maxUnavailable = strategy?.maxUnavailable ?? ROLLING_UPDATE_DEFAULTS.maxUnavailable;
  const maxSurgePods = scaleIntOrPercent(fn, 'maxSurge', maxSurge, replicas, 'up', Number.POSITIVE_INFINITY);
  let maxUnavailablePods = scaleIntOrPercent(fn, 'maxUnavailable', maxUnavailable, replicas, 'down', 100);
  // Both zero would deadlock the rollout (no room to add, none allowed to leave); the controller breaks the tie this way.
  if (maxSurgePods === 0 && maxUnavailablePods === 0) maxUnavailablePods = 1;
  return { maxSurgePods, maxUnavailablePods };
}

/** What the deployment controller observes about a rollout in one reconcile. */
export interface RolloutCounts {
  /** spec.replicas */
  desired: number;
  /** pods of the old ReplicaSet(s) that exist (ready or starting), not counting terminating ones */
  oldPods: number;
  /** of oldPods, ready (available) */
  oldReady: number;
  /** pods of the new ReplicaSet that exist (ready or starting) */
  newPods: number;
  /** of newPods, available (ready for at least minReadySeconds) */
  newReady: number;
}

/** The outcome of one reconcile: pods to create for the new ReplicaSet and pods to delete from the old ones. */
export interface RolloutStep {
  createNew: number;
  /**
   * Old pods to delete. Delete not-ready ones first, as the ReplicaSet controller does: the count is only safe for
   * availability under that order.
   */
  terminateOld: number;
  /** every desired new pod is available and no old pod is left */
  done: boolean;
}

/**
 * One reconcile of the deployment controller's RollingUpdate strategy: how many new pods to create and how many old
 * pods to terminate now, both decided from the same observed `counts`.
 *
 * - Scale up (`reconcileNewReplicaSet`): new pods are created while old + new < desired + maxSurge, never beyond
 *   `desired` new pods in total.
 * - Scale down (`reconcileOldReplicaSets`): with minAvailable = desired - maxUnavailable, first not-ready old pods are
 *   removed (they do not count as available, so removing them cannot hurt availability), but only as many as
 *   old + newReady - minAvailable allows, so that old pods that may still become ready are kept while the new ones are
 *   failing; then ready old pods are removed while oldReady + newReady stays >= minAvailable.
 *
 * The real controller returns after a scale-up and scales down on the sync that the ReplicaSet update triggers
 * immediately after; doing both here is equivalent because the scale-down allowance does not depend on how many new
 * pods exist, only on how many are available.
 */
export function planRollingStep(counts: RolloutCounts, limits: RollingUpdateLimits): RolloutStep {
  const fn = 'planRollingStep';
  checkCounts(fn, counts);
  checkLimits(fn, limits);
  const { desired, oldPods, oldReady, newPods, newReady } = counts;
  const totalPods = oldPods + newPods;

  // reconcileNewReplicaSet / NewRSNewReplicas
  const maxTotalPods = desired + limits.maxSurgePods;
  const createNew = newPods >= desired || totalPods >= maxTotalPods ? 0 : Math.min(maxTotalPods - totalPods, desired - newPods);

  // reconcileOldReplicaSets; MaxUnavailable() caps the value at spec.replicas (and is 0 for 0 replicas)
  let terminateOld = 0;
  if (oldPods > 0) {
    const maxUnavailablePods = desired === 0 ? 0 : Math.min(limits.maxUnavailablePods, desired);
    const minAvailable = desired - maxUnavailablePods;
    const newUnavailable = newPods - newReady;
    const maxScaledDown = totalPods - minAvailable - newUnavailable;
    if (maxScaledDown > 0) {
      // cleanupUnhealthyReplicas, then scaleDownOldReplicaSetsForRollingUpdate
      const cleanup = Math.min(oldPods - oldReady, maxScaledDown);
      const available = oldReady + newReady;
      const scaleDown = Math.max(0, available - minAvailable);
      terminateOld = Math.min(oldPods, cleanup + scaleDown);
    }
  }

  return { createNew, terminateOld, done: newReady === desired && oldPods === 0 };
}

function scaleIntOrPercent(
  fn: string,
  field: string,
  value: unknown,
  replicas: number,
  rounding: 'up' | 'down',
  maxPercent: number,
): number {
  if (typeof value === 'number') {
    if (isNonNegativeInteger(value)) return value;
  } else if (typeof value === 'string') {
    const match = /^(\d+)%$/.exec(value);
    if (match !== null) {
      const percent = Number(match[1]);
      if (percent > maxPercent) {
        throw new StampedeInputError(`${fn}: ${field} percentage must be at most "${maxPercent}%", got ${show(value)}`);
      }
      // percent * replicas is an integer, so the division below is exact enough for ceil/floor to be right
      const scaled = (percent * replicas) / 100;
      return rounding === 'up' ? Math.ceil(scaled) : Math.floor(scaled);
    }
  }
  throw new StampedeInputError(`${fn}: ${field} must be a non-negative integer or a percentage like "25%", got ${show(value)}`);
}

function checkCounts(fn: string, counts: RolloutCounts): void {
  if (counts === null || typeof counts !== 'object') {
    throw new StampedeInputError(`${fn}: counts must be an object { desired, oldPods, oldReady, newPods, newReady }, got ${show(counts)}`);
  }
  for (const key of ['desired', 'oldPods', 'oldReady', 'newPods', 'newReady'] as const) {
    if (!isNonNegativeInteger(counts[key])) {
      throw new StampedeInputError(`${fn}: counts.${key} must be a non-negative integer, got ${show(counts[key])}`);
    }
  }
  if (counts.oldReady > counts.oldPods) {
    throw new StampedeInputError(`${fn}: counts.oldReady must be <= counts.oldPods (${counts.oldPods}), got ${counts.oldReady}`);
  }
  if (counts.newReady > counts.newPods) {
    throw new StampedeInputError(`${fn}: counts.newReady must be <= counts.newPods (${counts.newPods}), got ${counts.newReady}`);
  }
}

function checkLimits(fn: string, limits: RollingUpdateLimits): void {
  if (limits === null || typeof limits !== 'object') {
    throw new StampedeInputError(
      `${fn}: limits must be an object { maxSurgePods, maxUnavailablePods } from resolveRollingUpdate, got ${show(limits)}`,
    );
  }
  for (const key of ['maxSurgePods', 'maxUnavailablePods'] as const) {
    if (!isNonNegativeInteger(limits[key])) {
      throw new StampedeInputError(
        `${fn}: limits.${key} must be a non-negative integer (use resolveRollingUpdate), got ${show(limits[key])}`,
      );
    }
  }
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** One active ReplicaSet of a deployment, as proportional scaling sees it. */
export interface ReplicaSetSize {
  /** spec.replicas (in the model: its pods that are not terminating) */
  replicas: number;
}

/**
 * The sizes the deployment controller gives its ReplicaSets when spec.replicas changes from `previousDesired` to
 * `desired` while more than one of them has pods: the controller's `scale` (pkg/controller/deployment/sync.go), run on
 * a scaling event and on every sync of a paused deployment, with `GetProportion` / `getReplicaSetFraction`
 * (util/deployment_util.go). The model uses it while a rollout is paused (a running rollout absorbs a new
 * spec.replicas in its next step instead).
 *
 * `sets` are the ReplicaSets oldest first, the last one the new (current template's) set, which may have 0 replicas.
 * In order, as the controller does:
 * 1. one active set (or none): it alone takes `desired` (none: the new set does);
 * 2. the new set saturated (`desired` replicas, all `newAvailable`, and spec.replicas unchanged): the old sets go to 0;
 * 3. otherwise the difference between `desired + maxSurge` and the pods there are is spread over the active sets in
 *    proportion to their size (each set's share: round(size · newMax / oldMax) − size, where max is spec.replicas plus
 *    maxSurge, the `max-replicas` annotation the sets were last given), largest first (ties: the newer first when
 *    adding, the older first when removing), each share capped by what is left to spread, the leftover to the first;
 *    to 0 replicas every set goes to 0.
 *
 * Returns the new size of each set, in the order of `sets`.
 *
 * @example proportionalScale([{ replicas: 3 }, { replicas: 2 }], 10, 5, { maxSurge: 0, maxUnavailable: 1 }) // [6, 4]
 */
export function proportionalScale(
  sets: readonly ReplicaSetSize[],
  desired: number,
  previousDesired: number,
  strategy: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent },
  newAvailable = 0,
): number[] {
  const fn = 'proportionalScale';
  if (!Array.isArray(sets) || sets.length === 0) throw new StampedeInputError(`${fn}: sets must list at least the new ReplicaSet`);
  for (const [i, s] of sets.entries()) {
    if (!isNonNegativeInteger(s?.replicas)) {
      throw new StampedeInputError(`${fn}: sets[${i}].replicas must be a non-negative integer, got ${show(s?.replicas)}`);
    }
  }
  for (const [name, v] of [
    ['desired', desired],
    ['previousDesired', previousDesired],
    ['newAvailable', newAvailable],
  ] as const) {
    if (!isNonNegativeInteger(v)) throw new StampedeInputError(`${fn}: ${name} must be a non-negative integer, got ${show(v)}`);
  }
  const sizes = sets.map((s) => s.replicas);
  const newest = sizes.length - 1;
  const active = sizes.flatMap((n, i) => (n > 0 ? [i] : []));

  // FindActiveOrLatest: one active set takes everything; none active, the newest does
  if (active.length <= 1) {
    sizes[active[0] ?? newest] = desired;
    return sizes;
  }
  // IsSaturated: the new set has every desired replica, available, and the sets were sized for this spec.replicas
  if (sizes[newest] === desired && previousDesired === desired && newAvailable === desired) {
    return sizes.map((n, i) => (i === newest ? n : 0));
  }

  const surge = (replicas: number) => resolveRollingUpdate(replicas, strategy).maxSurgePods;
  const newMax = desired + surge(desired);
  const oldMax = previousDesired + surge(previousDesired);
  const allowed = desired > 0 ? newMax : 0;
  const total = active.reduce((sum, i) => sum + sizes[i]!, 0);
  const toAdd = allowed - total;
  if (toAdd === 0) return sizes;

  // ReplicaSetsBySizeNewer (adding) / ReplicaSetsBySizeOlder (removing); a later set is a newer one
  const order = [...active].sort((a, b) => sizes[b]! - sizes[a]! || (toAdd > 0 ? b - a : a - b));
  const proposed = new Map<number, number>();
  let added = 0;
  for (const i of order) {
    const size = sizes[i]!;
    let proportion = 0;
    if (size !== 0 && toAdd !== added) {
      // getReplicaSetFraction: round half away from zero (integer.RoundToInt32); the sizes are non-negative here
      const fraction = desired === 0 ? -size : Math.round((size * newMax) / (oldMax === 0 ? total : oldMax)) - size;
      const left = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
    }
    proposed.set(i, size + proportion);
    added += proportion;
  }
  const first = order[0]!;
  proposed.set(first, Math.max(0, proposed.get(first)! + toAdd - added));
  for (const [i, n] of proposed) sizes[i] = n;
  return sizes;
}
