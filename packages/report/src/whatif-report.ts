/**
 * The report of `stampede whatif --report R.html`: the branches' table and
 * every branch's connected fraction on one chart (the lowest per 30 s), with
 * the run as written among them and the minute of the action marked.
 */
import type { WhatifResult } from '@stampede/check';
import { type ChartSeries, type ChartSpec, compact, PALETTE } from './chart-spec.ts';
import { html } from './escape.ts';
import { chartFigure, renderPage } from './page.ts';
import { lowestPerStep, SCENARIO_STEP_MS } from './scenario-timeline.ts';
import { fmtClock } from './text.ts';
import { branchVerdict } from './whatif-text.ts';

const COLOURS = [PALETTE.blue, PALETTE.orange, PALETTE.green, PALETTE.purple, PALETTE.teal, PALETTE.brown, PALETTE.yellow, PALETTE.red];

export function whatifReportHtml(result: WhatifResult, durationMs: number): string {
  const steps = Math.ceil(durationMs / SCENARIO_STEP_MS);
  const timesMin = Array.from({ length: steps }, (_, i) => compact(((i + 1) * SCENARIO_STEP_MS) / 60_000) ?? 0);
  const line = (label: string, r: WhatifResult['asWritten'], color: string, dash = false): ChartSeries | undefined =>
    r.run === undefined
      ? undefined
      : {
          label,
          color,
          dash,
          values: lowestPerStep(r.run.connected.timesMs, r.run.connected.values, durationMs, SCENARIO_STEP_MS).map((v) =>
            v === null ? null : compact(v * 100),
          ),
        };
  const series = [
    line('as written', result.asWritten, PALETTE.gray, true),
    ...result.branches.map((b, i) => line(b.action, b.result, COLOURS[i % COLOURS.length]!)),
  ].filter((s): s is ChartSeries => s !== undefined);
  const at = result.atMs;
  const chart: ChartSpec = {
    id: 'whatif-connected',
    title: 'Connected fraction, every branch',
    note: 'lowest per 30 s; each branch is the run as written with its action added',
    yLabel: '% connected',
    timesMin,
    series,
    markers: at === null ? [] : [{ atMin: at / 60_000, label: 'action', detail: `every tried action at ${fmtClock(at)}`, kind: 'trigger' }],
    yRange: [0, 100],
    percent: true,
    size: 'wide',
  };
  const rows = result.branches.map(
    (b) =>
      html`<tr><td class="mono">${b.action}</td><td><span class="pill ${b.result.verdict}">${branchVerdict(b.result)}</span></td><td class="num">${b.result.afterActionSec === null ? 'does not end' : `${Math.round(b.result.afterActionSec / 60)} min`}</td><td class="num">${b.impactAvoided.blockedPipelines}</td><td class="num">${b.impactAvoided.failedSecretResolutions}</td><td class="num">${b.impactAvoided.apiErrors}</td></tr>`,
  );
  const body = html`<p>Each branch is the run as written with one action added at ${at === null ? '—' : fmtClock(at)}: the same seed, so the same storm until then. The verdict is the oracle's on the branch without the file's own manual rollbacks (a tried rollback stays).</p>
<table class="scoreboard"><thead><tr><th>action</th><th>verdict</th><th class="num">storm ends after</th><th class="num">pipelines unblocked</th><th class="num">secret failures avoided</th><th class="num">API errors avoided</th></tr></thead><tbody>${rows}</tbody></table>
${chartFigure(chart)}`;
  return renderPage({
    title: `stampede whatif: ${result.topology.file}`,
    subtitle: `${result.topology.file} · seed ${result.seed} · engine ${result.engine}${at === null ? '' : ` · actions at ${fmtClock(at)}`}`,
    body,
    charts: [chart],
  });
}
