/**
 * The robust scoreboard: each action of a worlds file judged by the oracle in
 * every consistent world, on every seed. An action helps in a world when the
 * platform comes back by itself (recovered or slow) on every seed; it fails
 * there when it does not on any seed, and is mixed otherwise (the seed decides,
 * not the world).
 *
 * A finding is robust when the action helps in every consistent world, or in
 * none. Otherwise it flips, and the assumption that flips it is the one with
 * the most pairs of consistent worlds that differ in that assumption alone and
 * disagree on the outcome; each of its values is shown with how often the
 * action helps with it. It `decides` when, with the other assumptions as they
 * are, the outcome follows that value in every pair.
 */
import { isUnsafe } from '../sweep-cell.ts';
import type { Calibration, JudgedRun } from './calibration.ts';
import { WorldsError } from './worlds-error.ts';
import type { WorldsSpec } from './worlds-file.ts';
import type { World } from './worlds-plan.ts';

export type CellOutcome = 'helps' | 'fails' | 'mixed';

export interface RobustCell {
  world: number;
  outcome: CellOutcome;
  /** one per seed, in the spec's seed order */
  runs: JudgedRun[];
}

export interface RobustFlip {
  assumption: string;
  path: string;
  /** pairs of consistent worlds differing in this assumption alone whose outcomes differ, of all such pairs */
  flippedPairs: number;
  pairs: number;
  /** the outcome in every such pair follows this assumption's value */
  decides: boolean;
  byValue: { label: string; helps: number; worlds: number }[];
}

export interface RobustRow {
  /** `incident` or an action's name */
  name: string;
  file: string;
  isIncident: boolean;
  cells: RobustCell[];
  helps: number;
  fails: number;
  mixed: number;
  /** 'helps' or 'fails' in every consistent world; 'flips' otherwise; 'none' without consistent worlds */
  finding: 'robust-helps' | 'robust-fails' | 'flips' | 'none';
  flip: RobustFlip | undefined;
}

export interface RobustScoreboard {
  /** the consistent worlds the rows are judged in */
  worlds: number[];
  rows: RobustRow[];
}

const key = (world: number, run: string, seed: number) => `${world}\u0000${run}\u0000${seed}`;

function outcomeOf(runs: readonly JudgedRun[]): CellOutcome {
  const safe = runs.filter((r) => !isUnsafe(r.verdict)).length;
  return safe === runs.length ? 'helps' : safe === 0 ? 'fails' : 'mixed';
}

/** Builds the scoreboard from the verdicts on the incident and every action in every consistent world and seed. */
export function robustScoreboard(
  spec: WorldsSpec,
  worlds: readonly World[],
  calibration: Calibration,
  judged: readonly JudgedRun[],
): RobustScoreboard {
  const by = new Map(judged.map((r) => [key(r.world, r.run, r.seed), r]));
  const consistent = calibration.consistent;
  const rows = [spec.incident, ...spec.actions].map((t, ti): RobustRow => {
    const cells = consistent.map((w): RobustCell => {
      const runs = spec.seeds.map((seed) => {
        const r = by.get(key(w, t.name, seed));
        if (r === undefined)
          throw new WorldsError(`no verdict for ${t.name} in world w${w + 1}, seed ${seed}: a shard file is incomplete or damaged`);
        return r;
      });
      return { world: w, outcome: outcomeOf(runs), runs };
    });
    const count = (o: CellOutcome) => cells.filter((c) => c.outcome === o).length;
    const helps = count('helps');
    const fails = count('fails');
    const finding =
      cells.length === 0 ? 'none' : helps === cells.length ? 'robust-helps' : fails === cells.length ? 'robust-fails' : 'flips';
    return {
      name: t.name,
      file: t.written,
      isIncident: ti === 0,
      cells,
      helps,
      fails,
      mixed: count('mixed'),
      finding,
      flip: finding === 'flips' ? findFlip(spec, worlds, cells) : undefined,
    };
  });
  return { worlds: consistent, rows };
}

function findFlip(spec: WorldsSpec, worlds: readonly World[], cells: readonly RobustCell[]): RobustFlip | undefined {
  const outcome = new Map(cells.map((c) => [c.world, c.outcome]));
  let best: RobustFlip | undefined;
  spec.assumptions.forEach((a, ai) => {
    let pairs = 0;
    let flipped = 0;
    let ordered = true; // every differing pair agrees on which value helps more
    let direction = 0;
    for (const c of cells) {
      const w = worlds[c.world]!;
      for (const d of cells) {
        if (d.world <= c.world) continue;
        const v = worlds[d.world]!;
        if (!w.choice.every((x, i) => (i === ai ? x !== v.choice[i] : x === v.choice[i]))) continue;
        pairs++;
        const oc = outcome.get(c.world)!;
        const od = outcome.get(d.world)!;
        if (oc === od) {
          ordered = false;
          continue;
        }
        flipped++;
        // which value helped: +1 when the lower value index helped more
        const rank = (o: string) => (o === 'helps' ? 2 : o === 'mixed' ? 1 : 0);
        const sign = Math.sign((rank(oc) - rank(od)) * (w.choice[ai]! < v.choice[ai]! ? 1 : -1));
        if (direction === 0) direction = sign;
        else if (sign !== direction) ordered = false;
      }
    }
    if (flipped === 0) return;
    const byValue = a.labels.map((label, vi) => {
      const mine = cells.filter((c) => worlds[c.world]!.choice[ai] === vi);
      return { label, helps: mine.filter((c) => c.outcome === 'helps').length, worlds: mine.length };
    });
    const candidate: RobustFlip = {
      assumption: a.name,
      path: a.path,
      flippedPairs: flipped,
      pairs,
      decides: ordered && flipped === pairs,
      byValue,
    };
    // most flipped pairs wins; on a tie, an assumption that decides beats one that does not
    if (
      best === undefined ||
      candidate.flippedPairs > best.flippedPairs ||
      (candidate.flippedPairs === best.flippedPairs && candidate.decides && !best.decides)
    )
      best = candidate;
  });
  return best;
}
