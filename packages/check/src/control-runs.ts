/**
 * The oracle's control runs, kept for reuse within one thread. A control run
 * is the configuration a timeline leaves behind, run from a quiet start: many
 * what-if branches leave the same configuration (a kill, a restart, a limit
 * at the edge that expired), so their control runs are one run. A kept run
 * that has gone further than a judgement needs answers it too: the oracle
 * reads only samples up to its own end, and those are the same in a longer
 * run (unless the series halved their resolution on the way, which a kept run
 * is checked for).
 */
import type { EngineName, Series } from '@stampede/kernel';
import { buildPlatform, type Platform, type PlatformParams } from '@stampede/model';

export class ControlRuns {
  private readonly runs = new Map<string, Platform>();
  /** control runs started, and judgements answered by a kept one */
  readonly counts = { built: 0, reused: 0 };

  constructor(
    /** runs kept (each holds a whole simulation); past this the oldest goes */
    private readonly max = 4,
  ) {}

  /** The series of `quiet` from `seed` on `engine`, run to `endMs` at least: what a run to exactly `endMs` shows up to it. */
  seriesTo(quiet: PlatformParams, seed: number, engine: EngineName, endMs: number): Series[] {
    const key = `${seed}\u0000${engine}\u0000${JSON.stringify({ ...quiet, durationMs: 0 })}`;
    let c = this.runs.get(key);
    if (c !== undefined) {
      this.runs.delete(key); // re-inserted below: the map's order is the order of use
      this.counts.reused++;
    } else {
      c = buildPlatform({ ...quiet, durationMs: endMs }, seed, { engine });
      this.counts.built++;
    }
    if (c.sim.now < endMs) c.sim.runUntil(endMs);
    const metrics = c.sim.metrics;
    if (metrics.sampleIntervalMs !== metrics.intervalMs0) {
      // the series halved on the way: a run to endMs would not have (or not the same way); run that one, keep none
      const fresh = buildPlatform({ ...quiet, durationMs: endMs }, seed, { engine });
      fresh.sim.runUntil(endMs);
      return fresh.sim.metrics.series();
    }
    this.runs.set(key, c);
    if (this.runs.size > this.max) this.runs.delete(this.runs.keys().next().value!);
    return metrics.series();
  }
}
