/**
 * The shared past of what-if branches. Every branch of one topology and seed
 * is the same run up to its minute, so each worker thread keeps that run, the
 * trunk, and forks branches off it instead of re-running the prefix per
 * branch: a snapshot (a fork never run on) is taken at each minute branches
 * start from, and a later minute starts from the latest snapshot before it,
 * so a search over minutes simulates the past once.
 *
 * A branch forked from a trunk is the branch run from scratch (same trace
 * hash: forkPlatform). When the trunk cannot be forked (its machines run on
 * xstate), `fork` returns the reason and the caller re-runs the prefix.
 */
import { type EngineName, whyNotForkable } from '@stampede/kernel';
import { buildPlatform, forkPlatform, type Platform, type PlatformParams } from '@stampede/model';

/** Snapshots kept per trunk; past this the least recently used goes (each holds a whole simulation: about 6 MB for the 2,000-delegate incident). */
export const MAX_SNAPSHOTS_PER_TRUNK = 16;
/** Trunks kept per thread (one whatif uses two: the run as written and the run the oracle judges). */
const MAX_TRUNKS = 4;

interface Snapshot {
  /** every event before this minute has happened, none at it */
  readonly atMs: number;
  readonly platform: Platform;
  usedAt: number;
}

interface Trunk {
  readonly snapshots: Snapshot[];
  /** why this trunk cannot be forked; undefined when it can */
  readonly unforkable: string | undefined;
  usedAt: number;
}

export class Trunks {
  private readonly trunks = new Map<string, Trunk>();
  private clock = 0;
  /** prefixes simulated and forks taken, for the tests and the bench */
  readonly counts = { trunksBuilt: 0, snapshotsTaken: 0, branchesForked: 0 };

  /**
   * A platform for `branch` (the `trunk` topology with a different timeline from `atMs` on) forked from the trunk's run
   * at `atMs`, ready to run on; or, when the trunk cannot be forked, why (the caller runs `branch` from scratch).
   */
  branch(trunk: PlatformParams, branch: PlatformParams, atMs: number, seed: number, engine: EngineName): Platform | string {
    const t = this.trunkOf(trunk, seed, engine);
    if (t.unforkable !== undefined) return t.unforkable;
    const now = ++this.clock;
    t.usedAt = now;
    // the latest snapshot at or before the minute; a later minute gets a snapshot of its own, taken from that one
    let from = t.snapshots[0]!;
    for (const s of t.snapshots) if (s.atMs <= atMs && s.atMs > from.atMs) from = s;
    if (from.atMs < atMs) {
      const platform = forkPlatform(from.platform, trunk);
      platform.sim.queue.runBefore(atMs);
      from = { atMs, platform, usedAt: now };
      t.snapshots.push(from);
      this.counts.snapshotsTaken++;
      // the build (at 0) stays: every minute can start from it
      if (t.snapshots.length > MAX_SNAPSHOTS_PER_TRUNK) {
        const oldest = t.snapshots.slice(1).reduce((a, b) => (b.usedAt < a.usedAt ? b : a));
        t.snapshots.splice(t.snapshots.indexOf(oldest), 1);
      }
    }
    from.usedAt = now;
    this.counts.branchesForked++;
    return forkPlatform(from.platform, branch);
  }

  private trunkOf(params: PlatformParams, seed: number, engine: EngineName): Trunk {
    const key = `${seed}\u0000${engine}\u0000${JSON.stringify(params)}`;
    let t = this.trunks.get(key);
    if (t !== undefined) return t;
    if (engine === 'xstate') {
      t = { snapshots: [], unforkable: "engine 'xstate': actors on xstate's interpreter keep their state in closures", usedAt: 0 };
    } else {
      const platform = buildPlatform(params, seed, { engine });
      const unforkable = whyNotForkable(platform.sim);
      t = { snapshots: unforkable === undefined ? [{ atMs: 0, platform, usedAt: 0 }] : [], unforkable, usedAt: 0 };
      this.counts.trunksBuilt++;
    }
    this.trunks.set(key, t);
    if (this.trunks.size > MAX_TRUNKS) {
      let oldestKey: string | undefined;
      let oldest = Number.POSITIVE_INFINITY;
      for (const [k, v] of this.trunks) if (k !== key && v.usedAt < oldest) [oldestKey, oldest] = [k, v.usedAt];
      if (oldestKey !== undefined) this.trunks.delete(oldestKey);
    }
    return t;
  }
}
