/**
 * Calibration: which worlds reproduce what was observed. A world is consistent
 * when every observation holds on every seed; one that reproduces them on some
 * seeds only is reported apart (its randomness, not its assumptions, decides),
 * and left out of the robust scoreboard.
 *
 * It also says what the observations teach about each assumption: a value that
 * no consistent world has is ruled out (with the observation that failed most
 * often in the worlds that had it); an assumption left with one value is pinned
 * down, one left with several is open, and only the robust scoreboard can say
 * whether it matters.
 */
import type { VerdictKind } from '../oracle.ts';
import { checkVerdict, type ObservationResult } from './observation.ts';
import { WorldsError } from './worlds-error.ts';
import type { WorldsSpec } from './worlds-file.ts';
import { describeWorld, type World } from './worlds-plan.ts';

/** A run as written, with its connected-fraction observations checked (by index into spec.observations). */
export interface ObservedRun {
  world: number;
  run: string;
  seed: number;
  results: { index: number; result: ObservationResult }[];
}

/** The oracle's verdict on a run (manual rollbacks left out). */
export interface JudgedRun {
  world: number;
  run: string;
  seed: number;
  verdict: VerdictKind;
  dominantLoop: string;
  evidence: string;
  storm: boolean;
  /** from the storm's start to recovery; null without a storm or without recovery */
  timeToRecoverFromStormSec: number | null;
  traceHash: string;
}

export interface ObservationOutcome {
  name: string;
  /** seeds on which it held, and on which it did not */
  heldOn: number[];
  failedOn: number[];
  /** the first failing seed's reason, else the first seed's */
  detail: string;
}

export interface WorldCalibration {
  world: World;
  /** `cancel-on-give-up=false, …` */
  description: string;
  /** every observation held on every seed */
  consistent: boolean;
  /** every observation held on some seed, but not on all */
  partly: boolean;
  observations: ObservationOutcome[];
}

export interface AssumptionFinding {
  name: string;
  path: string;
  question: string;
  values: {
    label: string;
    /** consistent worlds with this value */
    consistent: number;
    /** worlds with this value */
    worlds: number;
    /** for a value no consistent world has: the observation that failed in most of its worlds */
    ruledOutBy: string | undefined;
  }[];
  /** 'pinned': one value left; 'open': several; 'none': no consistent world at all */
  status: 'pinned' | 'open' | 'none';
}

export interface Calibration {
  worlds: WorldCalibration[];
  /** indices of the consistent worlds */
  consistent: number[];
  assumptions: AssumptionFinding[];
}

const key = (world: number, run: string, seed: number) => `${world}\u0000${run}\u0000${seed}`;

/**
 * Calibrates from the observed and judged runs: every (world, observed run, seed) the observations need must be
 * there (an Error names a missing one: that is a bug in the caller, not the user's input).
 */
export function calibrate(
  spec: WorldsSpec,
  worlds: readonly World[],
  observed: readonly ObservedRun[],
  judged: readonly JudgedRun[],
): Calibration {
  const observedBy = new Map(observed.map((r) => [key(r.world, r.run, r.seed), r]));
  const judgedBy = new Map(judged.map((r) => [key(r.world, r.run, r.seed), r]));
  const result = (world: number, seed: number, index: number): ObservationResult => {
    const o = spec.observations[index]!;
    if (o.criterion.kind === 'verdict') {
      const j = judgedBy.get(key(world, o.run, seed));
      if (j === undefined)
        throw new WorldsError(`no verdict for ${o.run} in world w${world + 1}, seed ${seed}: a shard file is incomplete or damaged`);
      return checkVerdict(o.criterion, j.verdict, j.dominantLoop);
    }
    const r = observedBy.get(key(world, o.run, seed))?.results.find((x) => x.index === index);
    if (r === undefined)
      throw new WorldsError(`no run of ${o.run} in world w${world + 1}, seed ${seed}: a shard file is incomplete or damaged`);
    return r.result;
  };

  const calibrated = worlds.map((world): WorldCalibration => {
    const observations = spec.observations.map((o, index): ObservationOutcome => {
      const heldOn: number[] = [];
      const failedOn: number[] = [];
      let detail: string | undefined;
      for (const seed of spec.seeds) {
        const r = result(world.index, seed, index);
        (r.held ? heldOn : failedOn).push(seed);
        if (!r.held && failedOn.length === 1) detail = `seed ${seed}: ${r.detail}`;
        else if (heldOn.length === 1 && failedOn.length === 0 && r.held) detail = `seed ${seed}: ${r.detail}`;
      }
      return { name: o.name, heldOn, failedOn, detail: detail ?? '' };
    });
    const consistent = observations.every((o) => o.failedOn.length === 0);
    const partly = !consistent && spec.seeds.some((s) => observations.every((o) => o.heldOn.includes(s)));
    return { world, description: describeWorld(spec, world), consistent, partly, observations };
  });

  const consistent = calibrated.filter((w) => w.consistent).map((w) => w.world.index);
  const assumptions = spec.assumptions.map((a, ai): AssumptionFinding => {
    const values = a.labels.map((label, vi) => {
      const mine = calibrated.filter((w) => w.world.choice[ai] === vi);
      const ok = mine.filter((w) => w.consistent).length;
      let ruledOutBy: string | undefined;
      if (ok === 0 && mine.length > 0) {
        // the observation that failed (on some seed) in the most worlds with this value
        const counts = spec.observations.map((_, oi) => mine.filter((w) => w.observations[oi]!.failedOn.length > 0).length);
        ruledOutBy = spec.observations[counts.indexOf(Math.max(...counts))]!.name;
      }
      return { label, consistent: ok, worlds: mine.length, ruledOutBy };
    });
    const left = values.filter((v) => v.consistent > 0).length;
    return { name: a.name, path: a.path, question: a.question, values, status: left === 0 ? 'none' : left === 1 ? 'pinned' : 'open' };
  });
  return { worlds: calibrated, consistent, assumptions };
}
