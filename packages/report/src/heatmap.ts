/**
 * The boundary map of a sweep as an HTML table: one cell per point of the
 * grid, coloured by the oracle's verdict, with the time to recover in it;
 * the topology file's own settings outlined. One axis gives one row; two
 * axes give the first axis across and the second down, largest value at the
 * top, so the table reads like a plot.
 */
import type { VerdictKind } from '@stampede/check';
import { STORM_CONNECTED_FRACTION_BELOW } from '@stampede/model';
import { html, type SafeHtml } from './escape.ts';
import { fmtDuration, fmtPct } from './text.ts';

export interface HeatmapAxis {
  /** the setting swept, as a path into the topology, e.g. "router.pool.maxConnections" */
  path: string;
  /** its values, in the order to show them */
  values: number[];
  /** how to show each value (e.g. "45s" for 45000 ms); the number itself without */
  labels?: string[];
  /** how to show the file's own value on this axis */
  ownLabel?: string;
}

export interface HeatmapCell {
  /** this cell's value on each axis (values, not indices), in the order of `axes` */
  coords: number[];
  verdict: VerdictKind;
  /** the oracle's time to recover from the trigger, null when not recovered */
  timeToRecoverSec: number | null;
  /** whether the judged run had a storm, and the time to recover from its start (what the cell shows, as the scoreboard) */
  storm?: boolean;
  timeToRecoverFromStormSec?: number | null;
  /** severity in the oracle's judged run: lowest connected fraction, peak pending acquires, routers the autoscaler added */
  minConnectedFraction?: number;
  peakPendingAcquires?: number;
  routersAdded?: number;
}

export interface HeatmapInput {
  /** one or two axes */
  axes: HeatmapAxis[];
  cells: HeatmapCell[];
  /** the file's own settings (values on each axis): that cell is outlined */
  own?: number[];
}

const VERDICTS: readonly VerdictKind[] = ['recovered', 'slow', 'metastable', 'overloaded'];

/** The table and its legend. Throws when the input does not describe a 1- or 2-axis grid. */
export function heatmapHtml(input: HeatmapInput): SafeHtml {
  const { axes, cells } = input;
  if (axes.length !== 1 && axes.length !== 2) throw new Error(`heatmap: expected 1 or 2 axes, got ${axes.length}`);
  for (const c of cells) {
    if (c.coords.length !== axes.length) throw new Error(`heatmap: a cell has ${c.coords.length} coordinates for ${axes.length} axes`);
  }
  const key = (coords: readonly number[]) => coords.join(',');
  const byCoords = new Map(cells.map((c) => [key(c.coords), c]));
  const own = input.own !== undefined && input.own.length === axes.length ? key(input.own) : undefined;
  const label = (a: HeatmapAxis, v: number) => a.labels?.[a.values.indexOf(v)] ?? String(v);
  const ownText = (a: HeatmapAxis, i: number) => a.ownLabel ?? label(a, input.own![i]!);
  const x = axes[0]!;
  const y: HeatmapAxis | undefined = axes[1];
  const rowsY = y === undefined ? [undefined] : [...y.values].reverse();

  const cellHtml = (coords: number[]) => {
    const c = byCoords.get(key(coords));
    const mine = key(coords) === own;
    const where = axes.map((a, i) => `${a.path} = ${label(a, coords[i]!)}`).join(', ');
    if (c === undefined) return html`<td class="missing${mine ? ' own' : ''}" title="${where}: not run">—</td>`;
    // the cell's text and the tooltip's words, from the same three cases: not recovered, no storm, recovered from a storm
    let ttr = '—';
    let recovered = '';
    if (c.timeToRecoverSec !== null) {
      const fromTrigger = `${fmtDuration(c.timeToRecoverSec)} after the trigger`;
      if (c.storm === false) {
        ttr = 'no storm';
        recovered = `, no storm (connected stayed at or above ${fmtPct(STORM_CONNECTED_FRACTION_BELOW)}), ${fromTrigger}`;
      } else if (c.timeToRecoverFromStormSec != null) {
        ttr = fmtDuration(c.timeToRecoverFromStormSec);
        recovered = `, recovered ${ttr} after the storm began (${fromTrigger})`;
      } else {
        ttr = fmtDuration(c.timeToRecoverSec);
        recovered = `, recovered ${fromTrigger}`;
      }
    }
    const severity =
      c.minConnectedFraction === undefined
        ? undefined
        : `lowest connected ${fmtPct(c.minConnectedFraction)}, peak pending acquires ${c.peakPendingAcquires ?? 0}, routers added ${c.routersAdded ?? 0}`;
    const title = `${where}: ${c.verdict}${recovered}${severity === undefined ? '' : `; ${severity}`}${mine ? ' (the file’s own settings)' : ''}`;
    const sev =
      c.minConnectedFraction === undefined
        ? ''
        : html`<span class="sev">↓${fmtPct(c.minConnectedFraction)} · q${c.peakPendingAcquires ?? 0} · +${c.routersAdded ?? 0}r</span>`;
    return html`<td class="${c.verdict}${mine ? ' own' : ''}" title="${title}"><span class="v">${c.verdict}${mine ? ' ★' : ''}</span>${ttr}${sev}</td>`;
  };

  const header = html`${y === undefined ? '' : html`<tr><th></th><th colspan="${x.values.length}">${x.path} →</th></tr>`}<tr><th class="row">${y === undefined ? '' : html`${y.path} ↑`}</th>${x.values.map((v) => html`<th>${label(x, v)}</th>`)}</tr>`;
  const body = rowsY.map(
    (yv) =>
      html`<tr><th class="row">${yv === undefined ? x.path : label(y!, yv)}</th>${x.values.map((xv) => cellHtml(yv === undefined ? [xv] : [xv, yv]))}</tr>`,
  );
  const counts = VERDICTS.map((v) => [v, cells.filter((c) => c.verdict === v).length] as const).filter(([, n]) => n > 0);
  const ownNote =
    input.own === undefined
      ? ''
      : own !== undefined && byCoords.has(own)
        ? html`<span>★ outlined: the file’s own settings (${axes.map((a, i) => `${a.path} = ${ownText(a, i)}`).join(', ')})</span>`
        : html`<span>the file’s own settings (${axes.map((a, i) => `${a.path} = ${ownText(a, i)}`).join(', ')}) are not on this grid</span>`;
  return html`<table class="heatmap">${header}${body}</table>
<p class="legend">${counts.map(([v, n]) => html`<span><span class="pill ${v}">${v}</span> ${n}</span>`)}${ownNote}</p>
<p class="muted">Each cell: the oracle's verdict and its time to recover from the storm's start, as the scoreboard measures it (<i>no storm</i>: connected never fell below ${fmtPct(STORM_CONNECTED_FRACTION_BELOW)}; — when it did not recover by the deadline; the time from the trigger is in the cell's tooltip); below it the severity: ↓ lowest connected, q peak pending acquires, +r routers the autoscaler added.</p>`;
}
