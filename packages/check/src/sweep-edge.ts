/**
 * Edges of a sweep: when the only safe cells, or the only unsafe ones (the
 * boundary between safe and unsafe), sit at the edge of a swept range, the
 * map cannot say how far the region reaches beyond it. Each edge names the
 * axis, the side, and the wider `--vary` to try: the range extended by its own
 * span in that direction, at the same spacing (2 × STEPS − 1 values), so the
 * cells already judged stay on the grid.
 */
import type { SweepAxis } from './sweep.ts';
import { formatAxisValue, MAX_STEPS } from './sweep-axis.ts';
import { isUnsafe, type SweepCell } from './sweep-cell.ts';

export interface SweepEdge {
  /** the axis's index and path */
  axis: number;
  path: string;
  /** the end of the range the note is about: low (first value) or high (last value) */
  side: 'low' | 'high';
  /** only-safe: every safe cell is at this edge; only-unsafe: every unsafe cell is; no-safe: no cell is safe */
  what: 'only-safe' | 'only-unsafe' | 'no-safe';
  /** the axis value at that edge, as the topology writes it */
  label: string;
  /** the --vary value that widens the range in that direction: PATH=FROM..TO:STEPS (the sweep's own when it cannot) */
  vary: string;
  /** one line for people */
  summary: string;
}

type EdgeAxis = Pick<SweepAxis, 'path' | 'kind' | 'values'>;

const range = (axis: EdgeAxis, from: number, to: number, steps: number) =>
  `${axis.path}=${formatAxisValue(axis.kind, from)}..${formatAxisValue(axis.kind, to)}:${steps}`;

/** The `--vary` value that gives this axis's values (its ends and its number of values). */
export function axisVary(axis: EdgeAxis): string {
  return range(axis, axis.values[0]!, axis.values.at(-1)!, axis.values.length);
}

/** The `--vary` value that widens `axis` by its own span on `side`, at the same spacing. */
export function widenedVary(axis: EdgeAxis, side: 'low' | 'high'): string {
  const v = axis.values;
  const lo = v[0]!;
  const hi = v.at(-1)!;
  const span = hi - lo;
  const steps = Math.min(2 * v.length - 1, MAX_STEPS);
  if (side === 'high') return range(axis, lo, hi + span, steps);
  let from = lo - span;
  // a range of positive settings (connections, timeouts) stays positive: halve the low end instead
  if (from <= 0 && lo > 0) {
    const grain = axis.kind === 'duration' ? (lo % 1000 === 0 ? 1000 : 1) : Number.isInteger(lo) ? 1 : 0;
    from = grain === 0 ? lo / 2 : Math.max(grain, Math.round(lo / 2 / grain) * grain);
  }
  return from < lo ? range(axis, from, hi, steps) : axisVary(axis);
}

/** The edge notes of a sweep's cells (in index order); none when an axis has a single value. */
export function sweepEdges(axes: readonly EdgeAxis[], cells: readonly SweepCell[]): SweepEdge[] {
  const edges: SweepEdge[] = [];
  const anySafe = cells.some((c) => !isUnsafe(c.verdict));
  const anyUnsafe = cells.some((c) => isUnsafe(c.verdict));
  axes.forEach((axis, k) => {
    const n = axis.values.length;
    if (n < 2) return;
    const label = (side: 'low' | 'high') => formatAxisValue(axis.kind, side === 'low' ? axis.values[0]! : axis.values[n - 1]!);
    const direction = (side: 'low' | 'high') => (side === 'low' ? 'downward' : 'upward');
    const add = (side: 'low' | 'high', what: SweepEdge['what'], text: string) => {
      const vary = widenedVary(axis, side);
      // a range of positive settings that already starts at its smallest step cannot go lower: say so, suggest nothing
      const stuck = vary === axisVary(axis);
      if (stuck && what === 'no-safe') return; // the other side's note stands
      edges.push({
        axis: k,
        path: axis.path,
        side,
        what,
        label: label(side),
        vary,
        summary: stuck
          ? `${text}; it cannot be widened ${direction(side)} (${label(side)} is its smallest positive step)`
          : `${text}; widen it ${direction(side)}: --vary ${vary}`,
      });
    };
    if (!anySafe) {
      for (const side of ['high', 'low'] as const)
        add(side, 'no-safe', `no cell is safe anywhere in the range of ${axis.path} (${label('low')} to ${label('high')})`);
      return;
    }
    if (!anyUnsafe) return; // the margin says "no unsafe cell in the swept range"
    const at = (unsafe: boolean) => new Set(cells.filter((c) => isUnsafe(c.verdict) === unsafe).map((c) => c.coords[k]!));
    const safe = at(false);
    const unsafe = at(true);
    const only = (set: Set<number>, i: number) => set.size === 1 && set.has(i);
    if (only(safe, n - 1) || only(safe, 0)) {
      const side = only(safe, n - 1) ? 'high' : 'low';
      add(
        side,
        'only-safe',
        `the only safe cells are at the ${side} edge of ${axis.path} (${label(side)}): how far the safe region reaches beyond it is unknown, and it may be barely safe`,
      );
    } else if (only(unsafe, n - 1) || only(unsafe, 0)) {
      const side = only(unsafe, n - 1) ? 'high' : 'low';
      add(
        side,
        'only-unsafe',
        `the boundary is at the ${side} edge of ${axis.path}: the only unsafe cells are at ${label(side)}, so how far the unsafe region reaches beyond it is unknown`,
      );
    }
  });
  return edges;
}
