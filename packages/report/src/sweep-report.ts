/**
 * The report of `stampede sweep --report R.html`: where the topology turns
 * from recovering to metastable, as a heatmap of verdicts over one or two
 * swept settings, with the file's own settings marked.
 */
import { html } from './escape.ts';
import { type HeatmapInput, heatmapHtml } from './heatmap.ts';
import { renderPage } from './page.ts';

export interface SweepReportInput extends HeatmapInput {
  /** heading; default "stampede sweep: <file>" */
  title?: string;
  /** the topology file as the user typed it */
  file: string;
  seed: number;
  /** a paragraph under the map, e.g. how far the file's settings are from the boundary */
  marginText?: string;
  /** the command that reruns the sweep */
  command?: string;
}

/** The sweep's report as one self-contained HTML page. */
export function sweepReportHtml(input: SweepReportInput): string {
  const points = input.axes.reduce((n, a) => n * a.values.length, 1);
  const body = html`<h2>Boundary map</h2>
${heatmapHtml(input)}
${input.marginText === undefined ? '' : html`<p>${input.marginText}</p>`}
${input.command === undefined ? '' : html`<h2>Replay</h2><pre class="mono">${input.command}</pre>`}`;
  return renderPage({
    title: input.title ?? `stampede sweep: ${input.file}`,
    subtitle: `${input.file} · seed ${input.seed} · ${input.axes.map((a) => a.path).join(' × ')} · ${points} points`,
    body,
    charts: [],
  });
}
