/**
 * What counts as a storm: the connected fraction falls below
 * `STORM_CONNECTED_FRACTION_BELOW` at some sample at or after the trigger (the
 * first timeline event). The storm starts at the first such sample.
 *
 * Why 90% (a fraction of the fleet, not a time): a routine rolling update
 * drops every socket of the pods it terminates at once, and when the routers
 * have room those delegates are back within their reconnect loop (seconds). A
 * 15-pod manager rollout whose waves each drop ~330 of 2,000 sockets never took
 * the fleet below 91%, yet it kept it under 99% for the 15 min 50 s the rollout
 * lasted — that is the rollout, not a storm. A storm is more than a tenth of
 * the fleet outside at once because the burst did not fit (the incident falls
 * to 20%, its elastic baseline to 42%). A duration rule ("below 99% for a
 * minute") would call that long, healthy rollout a storm, since waves a few
 * seconds apart keep the fleet just under 99% throughout.
 */
export const STORM_CONNECTED_FRACTION_BELOW = 0.9;

/**
 * The first sample at or after `triggerAtMs` whose connected fraction is below
 * `STORM_CONNECTED_FRACTION_BELOW`: the storm's start, or undefined when there
 * was no storm (or no trigger).
 */
export function stormStartOf(
  connected: { timesMs: ArrayLike<number>; values: ArrayLike<number> },
  triggerAtMs: number | undefined,
): number | undefined {
  if (triggerAtMs === undefined) return undefined;
  for (let i = 0; i < connected.values.length; i++) {
    const t = connected.timesMs[i]!;
    if (t >= triggerAtMs && connected.values[i]! < STORM_CONNECTED_FRACTION_BELOW) return t;
  }
  return undefined;
}
