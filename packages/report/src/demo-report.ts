/**
 * The report of `stampede demo --report R.html`: the mitigation scoreboard
 * (the same rows as the terminal's, scoreboard.ts) with a small chart of each
 * scenario's connected fraction beside its row, then the replay commands.
 */
import type { EngineName } from '@stampede/kernel';
import { type ChartSpec, compact, PALETTE } from './chart-spec.ts';
import { html, raw } from './escape.ts';
import { chartFigure, renderPage } from './page.ts';
import type { ScenarioTimeline } from './scenario-timeline.ts';
import { formatScoreboard, SCOREBOARD_HEAD, type ScenarioOutcome, scoreboardRow } from './scoreboard.ts';
import { fmtPct, replayCommand } from './text.ts';

export interface DemoReportInput {
  seed: number;
  /** what ran the actors' machines in every run and judgement. @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  /** the scenario directory as shown to the user */
  dir: string;
  /** one per scenario, in the scoreboard's order */
  outcomes: readonly ScenarioOutcome[];
  /** the small timeline of each scenario (same order); undefined where the scenario failed */
  timelines: readonly (ScenarioTimeline | undefined)[];
  /** the connected fraction that counts as recovered, drawn as a line on each chart */
  recoveredFraction: number;
}

function smallChart(id: string, t: ScenarioTimeline, recoveredFraction: number): ChartSpec {
  const timesMin = t.connectedLowest.map((_, i) => compact(((i + 1) * t.stepSec) / 60) ?? 0);
  return {
    id,
    title: '',
    yLabel: '% connected',
    timesMin,
    series: [
      {
        label: 'lowest connected',
        color: PALETTE.blue,
        values: t.connectedLowest.map((v) => (v === null ? null : compact(v * 100))),
        fill: true,
      },
      { label: 'recovered threshold', color: PALETTE.green, values: timesMin.map(() => compact(recoveredFraction * 100)), dash: true },
    ],
    markers: t.markers,
    yRange: [0, 100],
    percent: true,
    size: 'small',
  };
}

/** The demo's report as one self-contained HTML page. */
export function demoReportHtml(input: DemoReportInput): string {
  const charts: ChartSpec[] = [];
  const rows = input.outcomes.map((o, i) => {
    const cells = scoreboardRow(o);
    const t = input.timelines[i];
    let chartCell = html`<span class="muted">—</span>`;
    if (t !== undefined) {
      const spec = smallChart(`scenario-${i}`, t, input.recoveredFraction);
      charts.push(spec);
      chartCell = html`${chartFigure(spec)}`;
    }
    const verdictClass = o.ok ? o.verdict.verdict : 'error';
    return html`<tr>
<td><b>${cells[0]}</b></td>
<td><span class="pill ${verdictClass}">${cells[1]}</span></td>
${cells.slice(2, 7).map((c) => html`<td class="num">${c}</td>`)}
<td class="mono">${cells[7]}</td>
<td>${chartCell}</td>
</tr>`;
  });
  const head = SCOREBOARD_HEAD.map(
    (h, j) =>
      html`<th${raw(j >= 2 && j <= 6 ? ' class="num"' : '')}>${h.split('\n').map((part, k) => html`${k > 0 ? raw('<br>') : ''}${part}`)}</th>`,
  );
  const failures = input.outcomes.filter((o) => !o.ok);
  const ok = input.outcomes.filter((o) => o.ok);
  const recovered = ok.filter((o) => o.verdict.verdict === 'recovered').length;
  const body = html`<p>The verdict is the oracle's, each scenario judged <b>without its manual rollback</b>: does the platform come back by itself
within the deadline after the rollouts end? The impact columns and the charts are the run as written, manual rollback included: what the
incident cost. Charts show the lowest connected fraction per 30 simulated seconds (the dashed line is ${fmtPct(input.recoveredFraction)}).</p>
<table class="grid scoreboard">
<tr>${head}<th>connected, by simulated minute<br>(run as written)</th></tr>
${rows}
</table>
${failures.map((o) => html`<h3>${o.file}: error</h3><pre>${o.ok ? '' : o.text}</pre>`)}
<h2>Replay</h2>
<pre class="mono">${input.outcomes.map((o) => `${replayCommand(o.file, input.seed, input.engine)}\n`)}</pre>
<details><summary>the scoreboard as the terminal prints it</summary><pre class="mono">${formatScoreboard(input.outcomes, input.seed, undefined, input.engine).join('\n')}</pre></details>`;
  return renderPage({
    title: 'stampede demo: the mitigation scoreboard',
    subtitle: `seed ${input.seed} · engine ${input.engine ?? 'compiled'} · ${input.outcomes.length} scenarios from ${input.dir} · ${recovered} of ${ok.length} recovered by themselves`,
    body,
    charts,
  });
}
