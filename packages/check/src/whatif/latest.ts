/**
 * How late is too late: the latest minute at which an action still brings the
 * fleet back within a given time, found by bisection over branches.
 *
 * Bisection assumes that acting earlier never does worse than acting later
 * (true of the actions a responder takes during a storm that feeds itself:
 * the longer it runs, the more slots are pinned). The search reports every
 * minute it tried, so a case where that does not hold shows in the list.
 */

export interface LatestProbe {
  atMs: number;
  /** the action brought the fleet back within the time asked */
  ok: boolean;
  /** what the oracle said, in a few words: `recovered 3 min 10 s after`, `metastable (abandoned-acquires)` */
  outcome: string;
}

export interface LatestResult {
  /** the latest minute found to work; null when even the earliest does not */
  latestMs: number | null;
  /** the earliest minute found not to work; null when even the latest tried works */
  firstTooLateMs: number | null;
  /** every minute tried, in time order */
  probes: LatestProbe[];
  /** the earliest minute failed while the latest worked: acting earlier did worse, so bisection cannot answer */
  notMonotone: boolean;
}

/**
 * Bisects `[fromMs, toMs]` to `resolutionMs` (minutes tried are multiples of it, counted from `fromMs`). `probe` judges
 * one minute; the search tries both ends first.
 */
export async function latestMinute(
  fromMs: number,
  toMs: number,
  resolutionMs: number,
  probe: (atMs: number) => Promise<LatestProbe>,
): Promise<LatestResult> {
  const probes: LatestProbe[] = [];
  const tryAt = async (atMs: number) => {
    const p = await probe(atMs);
    probes.push(p);
    return p.ok;
  };
  const done = (latestMs: number | null, firstTooLateMs: number | null, notMonotone = false): LatestResult => ({
    latestMs,
    firstTooLateMs,
    probes: [...probes].sort((a, b) => a.atMs - b.atMs),
    notMonotone,
  });
  const [first, last] = await Promise.all([tryAt(fromMs), tryAt(toMs)]);
  if (!first && last) return done(null, null, true);
  if (!first) return done(null, fromMs);
  if (last) return done(toMs, null);
  let good = fromMs;
  let bad = toMs;
  while (bad - good > resolutionMs) {
    const steps = Math.round((bad - good) / resolutionMs);
    const mid = good + Math.floor(steps / 2) * resolutionMs;
    if (await tryAt(mid)) good = mid;
    else bad = mid;
  }
  return done(good, bad);
}
