/**
 * The margin of a topology's own settings in a sweep: how far they are from
 * the nearest unsafe cell (metastable or overloaded), per axis as the value
 * there and the change from the own value, absolute and in percent.
 *
 * Distance is measured with each axis normalised by its swept range, so that
 * 100 connections and 30 s compare as fractions of what was explored; ties go
 * to the lower cell index. The own point need not lie on the grid: its
 * verdict is that of the nearest cell. When that cell is unsafe, the way out
 * (the nearest safe cell) is given instead.
 */
import type { VerdictKind } from './oracle.ts';
import type { SweepAxis } from './sweep.ts';
import { formatAxisValue } from './sweep-axis.ts';
import { isUnsafe, type SweepCell } from './sweep-cell.ts';

export interface MarginAxisChange {
  path: string;
  value: number;
  label: string;
  /** value − own value, in the axis unit (milliseconds for durations) */
  change: number;
  changeLabel: string;
  /** change / own value × 100, one decimal; null when the own value is 0 */
  changePct: number | null;
}

export interface MarginCell {
  index: number;
  coords: number[];
  verdict: VerdictKind;
  /** normalised distance from the own point */
  distance: number;
  axes: MarginAxisChange[];
}

export type MarginStatus = 'margin' | 'own-unsafe' | 'no-unsafe' | 'no-own-setting';

export interface SweepMargin {
  status: MarginStatus;
  /** the cell nearest the file's own setting; null when an axis has no own value */
  own: { index: number; coords: number[]; verdict: VerdictKind; onGrid: boolean; inRange: boolean } | null;
  nearestUnsafe: MarginCell | null;
  /** only when the own setting is unsafe: the nearest way out */
  nearestSafe: MarginCell | null;
  /** one line for people */
  summary: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function signed(axis: SweepAxis, change: number): string {
  if (change === 0) return '±0';
  return `${change > 0 ? '+' : '-'}${formatAxisValue(axis.kind, Math.abs(Number(change.toPrecision(12))))}`;
}

function describeCell(cell: MarginCell): string {
  return cell.axes
    .map((a) => {
      const pct = a.changePct === null || a.change === 0 ? '' : `, ${a.changePct > 0 ? '+' : ''}${a.changePct}%`;
      return `${a.path} ${a.label} (${a.change === 0 ? 'unchanged' : `${a.changeLabel}${pct}`})`;
    })
    .join(', ');
}

const rangeText = (axes: readonly SweepAxis[]) => axes.map((a) => `${a.path} ${a.labels[0]}–${a.labels[a.labels.length - 1]}`).join(', ');

/** The margin of the axes' own values among `cells` (complete, in index order). */
export function sweepMargin(axes: readonly SweepAxis[], cells: readonly SweepCell[]): SweepMargin {
  const unsafeCount = cells.filter((c) => isUnsafe(c.verdict)).length;
  const owns = axes.map((a) => a.own);
  if (owns.some((o) => o === null)) {
    const missing = axes.filter((a) => a.own === null).map((a) => a.path);
    return {
      status: unsafeCount === 0 ? 'no-unsafe' : 'no-own-setting',
      own: null,
      nearestUnsafe: null,
      nearestSafe: null,
      summary:
        unsafeCount === 0
          ? `no unsafe cell in the swept range (${rangeText(axes)})`
          : `${unsafeCount} of ${cells.length} cells unsafe; no margin: the file has no numeric value of ${missing.join(' or ')} to measure it from`,
    };
  }
  const own = owns.map((o) => o!.value);
  const spans = axes.map((a) => a.values[a.values.length - 1]! - a.values[0]!);
  const distance = (c: SweepCell) => Math.sqrt(c.coords.reduce((sum, k, i) => sum + ((axes[i]!.values[k]! - own[i]!) / spans[i]!) ** 2, 0));
  const marginCell = (c: SweepCell): MarginCell => ({
    index: c.index,
    coords: c.coords,
    verdict: c.verdict,
    distance: Number(distance(c).toPrecision(12)),
    axes: axes.map((a, i) => {
      const value = a.values[c.coords[i]!]!;
      const change = value - own[i]!;
      return {
        path: a.path,
        value,
        label: a.labels[c.coords[i]!]!,
        change: Number(change.toPrecision(12)),
        changeLabel: signed(a, change),
        changePct: own[i] === 0 ? null : round1((change / own[i]!) * 100),
      };
    }),
  });
  const nearest = (pick: (c: SweepCell) => boolean): SweepCell | undefined => {
    let best: SweepCell | undefined;
    for (const c of cells) if (pick(c) && (best === undefined || distance(c) < distance(best))) best = c;
    return best;
  };

  const home = nearest(() => true)!;
  const onGrid = home.coords.every((k, i) => axes[i]!.values[k] === own[i]);
  const inRange = axes.every((a, i) => own[i]! >= a.values[0]! && own[i]! <= a.values[a.values.length - 1]!);
  const ownInfo = { index: home.index, coords: home.coords, verdict: home.verdict, onGrid, inRange };
  const ownText = `the file's own setting (${axes.map((a) => `${a.path} ${a.own!.label}${a.own!.from === 'default' ? ' by default' : ''}`).join(', ')})`;
  const where = inRange ? '' : `${ownText} lies outside the swept range (${rangeText(axes)}); `;

  if (unsafeCount === 0) {
    return {
      status: 'no-unsafe',
      own: ownInfo,
      nearestUnsafe: null,
      nearestSafe: null,
      summary: `no unsafe cell in the swept range (${rangeText(axes)})${inRange ? '' : `; ${ownText} lies outside it`}`,
    };
  }
  if (isUnsafe(home.verdict)) {
    const safe = nearest((c) => !isUnsafe(c.verdict));
    const cellText = onGrid ? `its cell is ${home.verdict}` : `the nearest cell is ${home.verdict}`;
    return {
      status: 'own-unsafe',
      own: ownInfo,
      nearestUnsafe: marginCell(home),
      nearestSafe: safe === undefined ? null : marginCell(safe),
      summary:
        `${where}${inRange ? `${ownText} is` : 'it is'} in an unsafe region (${cellText}); ` +
        (safe === undefined
          ? 'no safe cell in the swept range'
          : `the nearest safe cell is ${safe.verdict} at ${describeCell(marginCell(safe))}`),
    };
  }
  const unsafe = marginCell(nearest((c) => isUnsafe(c.verdict))!);
  return {
    status: 'margin',
    own: ownInfo,
    nearestUnsafe: unsafe,
    nearestSafe: null,
    summary: `${where}margin: the nearest unsafe cell to ${inRange ? ownText : 'it'} is ${unsafe.verdict} at ${describeCell(unsafe)}`,
  };
}
