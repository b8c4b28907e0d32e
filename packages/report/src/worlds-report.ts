/**
 * The report of `stampede demo --worlds FILE --report R.html`: calibration
 * (every world, with which observations held) and the robust scoreboard as an
 * actions × consistent worlds matrix, each cell the oracle's verdict on every
 * seed, with the evidence of each seed's verdict as the cell's tooltip.
 */
import type { CellOutcome, WorldsResult } from '@stampede/check';
import { html, type SafeHtml } from './escape.ts';
import { renderPage } from './page.ts';
import { plural } from './text.ts';
import { findingText } from './worlds-text.ts';

const CELL_CLASS: Record<CellOutcome, string> = { helps: 'recovered', fails: 'metastable', mixed: 'slow' };

function matrix(result: WorldsResult): SafeHtml {
  const { scoreboard } = result;
  const worlds = scoreboard.worlds.map((w) => result.worlds[w]!);
  const head = html`<tr><th>action</th><th>helps in</th>${worlds.map((w) => html`<th title="${w.description}">${w.id}</th>`)}</tr>`;
  const rows = scoreboard.rows.map((row) => {
    const cells = row.cells.map((c) => {
      const text = c.runs.map((r) => (r.verdict === 'recovered' ? 'R' : r.verdict[0]!.toUpperCase())).join('');
      const tip = c.runs
        .map((r) => `seed ${r.seed}: ${r.verdict}${r.verdict === 'recovered' ? '' : ` (${r.dominantLoop})`}; ${r.evidence}`)
        .join('\n');
      return html`<td class="${CELL_CLASS[c.outcome]}" title="${tip}">${text}</td>`;
    });
    return html`<tr><th scope="row" title="${row.file}">${row.isIncident ? `${row.name} (no action)` : row.name}</th><td>${row.isIncident ? `recovers in ${row.helps} of ${row.cells.length}` : `${row.helps} of ${row.cells.length}`}</td>${cells}</tr>`;
  });
  return html`<table class="heatmap worlds-matrix"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

function findings(result: WorldsResult): SafeHtml {
  const items = result.scoreboard.rows.map((row) => html`<li><b>${row.name}</b>: ${findingText(row)}</li>`);
  return html`<ul>${items}</ul>`;
}

function calibrationTable(result: WorldsResult): SafeHtml {
  const head = html`<tr><th>world</th>${result.assumptions.map((a) => html`<th title="${a.question}">${a.name}</th>`)}${result.observations.map((o) => html`<th title="${o.check}">${o.name}</th>`)}</tr>`;
  const rows = result.calibration.worlds.map((w) => {
    const values = w.world.choice.map((c, i) => html`<td>${result.assumptions[i]!.values[c]}</td>`);
    const obs = w.observations.map(
      (o) =>
        html`<td class="${o.failedOn.length === 0 ? 'recovered' : o.heldOn.length === 0 ? 'metastable' : 'slow'}" title="${o.detail}">${o.heldOn.length} of ${o.heldOn.length + o.failedOn.length}</td>`,
    );
    return html`<tr class="${w.consistent ? 'consistent' : ''}"><th scope="row">${w.world.id}${w.consistent ? ' ✓' : ''}</th>${values}${obs}</tr>`;
  });
  return html`<table class="heatmap worlds-calibration"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/** The page. */
export function worldsReportHtml(result: WorldsResult): string {
  const consistent = result.calibration.consistent.length;
  const body = html`<h2>Robust scoreboard</h2>
<p>Each cell is one consistent world: the oracle's verdict on every seed (${result.seeds.join(', ')}) — R recovered, S slow, M metastable, O overloaded; green when the platform comes back by itself on every seed. Hover a cell for the evidence, a world's id for its assumptions.</p>
${consistent === 0 ? html`<p>No world reproduces every observation.</p>` : matrix(result)}
${findings(result)}
<h2>Calibration</h2>
<p>${plural(result.worlds.length, 'world')}; ${consistent} reproduce every observation on every seed (✓). Each observation cell: the seeds on which it held.</p>
${calibrationTable(result)}`;
  return renderPage({
    title: `stampede demo --worlds: ${result.name}`,
    subtitle: `${result.source} · ${plural(result.worlds.length, 'world')} × ${plural(result.seeds.length, 'seed')} · engine ${result.engine}`,
    body,
    charts: [],
  });
}
