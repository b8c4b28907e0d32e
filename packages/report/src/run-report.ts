/**
 * The report of one run (`stampede run FILE --report R.html`): the oracle's
 * verdict with its evidence at the top, the run as written (storm, recovery,
 * impact, conservation, trace hash), the signals as charts with the timeline
 * marked, the rollout log, the resolved settings and the replay command.
 *
 * The sections are exported on their own so other reports (a property
 * check's counterexample) can show a run the same way.
 */
import type { Verdict } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { type PlatformParams, type RunResult, STORM_CONNECTED_FRACTION_BELOW } from '@stampede/model';
import { type ChartSpec, MARKER_STYLE, type Marker } from './chart-spec.ts';
import { html, type SafeHtml } from './escape.ts';
import { runMarkers } from './markers.ts';
import { chartFigure, renderPage } from './page.ts';
import { runCharts } from './run-charts.ts';
import { settingsHtml } from './settings-table.ts';
import { fmtClock, fmtDuration, fmtPct, fmtTimeToRecover, plural, replayCommand } from './text.ts';

export interface RunReportInput {
  /** the topology file as the user typed it */
  file: string;
  seed: number;
  /** what ran the actors' machines (run and oracle). @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  params: PlatformParams;
  /** what runPlatform returned for (params, seed) */
  result: RunResult;
  /** the connected fraction that counts as recovered (the run's option) */
  recoveredFraction: number;
  /** the oracle's verdict: judge(params, seed), or why there is none (e.g. no trigger to judge) */
  verdict: Verdict | { unavailable: string };
  /** the command that reruns exactly this; default `stampede run FILE --seed N` (with `--engine xstate` on that engine) */
  replay?: string;
}

/** A run's sections and charts, ready to go into any page; chart ids start with `idPrefix`. */
export interface RunSections {
  verdict: SafeHtml;
  run: SafeHtml;
  charts: SafeHtml;
  log: SafeHtml;
  settings: SafeHtml;
  replay: SafeHtml;
  chartSpecs: ChartSpec[];
}

const fact = (k: string, v: unknown) => html`<div class="fact"><div class="k">${k}</div><div class="v">${v}</div></div>`;
const minutes = (ms: number) => `${Number.isInteger(ms / 60_000) ? ms / 60_000 : (ms / 60_000).toFixed(1)} min`;

/** The oracle's verdict card: verdict, dominant loop, evidence, the values that decided it, and how it was judged. */
export function verdictHtml(verdict: RunReportInput['verdict']): SafeHtml {
  if ('unavailable' in verdict) {
    return html`<section class="verdict-card none"><div class="verdict-main"><div class="verdict-label">oracle verdict</div>
<div class="verdict-word">none</div></div><div class="verdict-body"><p class="evidence">No verdict: ${verdict.unavailable}</p></div></section>`;
  }
  const v = verdict;
  const c = v.control;
  return html`<section class="verdict-card ${v.verdict}" id="verdict">
<div class="verdict-main">
<div class="verdict-label">oracle verdict, without manual rollbacks</div>
<div class="verdict-word ${v.verdict}">${v.verdict}</div>
${v.verdict === 'recovered' ? '' : html`<div>dominant loop: <b>${v.dominantLoop}</b></div>`}
<div>time to recover from the storm: <b>${fmtTimeToRecover(v, 'not recovered by the deadline')}</b></div>
</div>
<div class="verdict-body">
<p class="evidence">${v.evidence}</p>
<div class="facts">
${fact('trigger (first timeline event)', fmtClock(v.triggerAtMs))}
${fact('trigger window ends (t₁: rollouts done, faults over)', fmtClock(v.triggerEndMs))}
${fact('deadline (t₁ + T)', fmtClock(v.deadlineMs))}
${fact('storm started (oracle)', v.stormStartMs === undefined ? `none (stayed ≥ ${fmtPct(STORM_CONNECTED_FRACTION_BELOW)})` : fmtClock(v.stormStartMs))}
${fact('recovered at (oracle)', v.recoveredAtMs === undefined ? 'no' : `${fmtClock(v.recoveredAtMs)}${v.timeToRecoverSec === undefined ? '' : `, ${fmtDuration(v.timeToRecoverSec)} after the trigger`}`)}
${fact('lowest connected / peak pending acquires / routers added (oracle)', `${fmtPct(v.severity.minConnectedFraction)} / ${v.severity.peakPendingAcquires} / ${v.severity.routersAdded}`)}
${fact('baseline: connected / goodput', `${fmtPct(v.baseline.connectedFraction)} / ${fmtPct(v.baseline.goodput)}`)}
${fact('baseline: socket opens / REST calls', `${v.baseline.attemptsPerSec.toFixed(2)}/s / ${v.baseline.restCallsPerSec.toFixed(1)}/s`)}
${fact('at deadline: connected (trend)', `${fmtPct(v.atDeadline.connectedFraction)} (${fmtPct(v.atDeadline.connectedTrendPerMin)}/min)`)}
${fact('at deadline: goodput', fmtPct(v.atDeadline.goodput))}
${fact('at deadline: acquire timeouts', `${v.atDeadline.acquireTimeoutsPerMin.toFixed(1)}/min`)}
${fact('at deadline: socket opens / REST calls', `${v.atDeadline.attemptsPerSec.toFixed(2)}/s / ${v.atDeadline.restCallsPerSec.toFixed(1)}/s (×${v.loops.retryAmplification.toFixed(1)})`)}
${fact('slots held for clients that left / stale', `${fmtPct(v.loops.abandonedSlotShare)} / ${fmtPct(v.loops.staleSlotShare)}`)}
${fact('restarts per delegate (t₁ to deadline)', v.loops.restartsPerDelegate.toFixed(2))}
${fact('fullest router without a free slot / free slots on the others meanwhile (t₁ to deadline)', `${fmtPct(v.loops.fullRouterShare)} of the time / ${fmtPct(v.loops.freeSlotShareElsewhere)}`)}
${c === undefined ? '' : fact('control run from a quiet start', `${c.healthy ? 'healthy' : 'not healthy'}: ${fmtPct(c.connectedFraction)} connected, goodput ${fmtPct(c.goodput)}`)}
${fact('oracle run trace hash', v.traceHash)}
</div>
<p class="muted">How it was judged: the oracle re-runs the scenario from the same seed <b>without its manual rollbacks</b>, so
“recovered” means the platform came back by itself. The charts below are the run as written, rollbacks included, so they can
recover where the oracle does not.</p>
</div>
</section>`;
}

/** The run as written: storm, recovery, impact, conservation, trace hash. */
export function runFactsHtml(input: RunReportInput): SafeHtml {
  const s = input.result.summary;
  const at = (ms: number | undefined) => (ms === undefined ? 'never' : fmtClock(ms));
  const i = s.impact;
  return html`<div class="facts">
${fact('trigger', s.triggerAtMs === undefined ? 'none (no timeline)' : fmtClock(s.triggerAtMs))}
${fact('storm started', s.stormStartMs === undefined ? `none (stayed ≥ ${fmtPct(STORM_CONNECTED_FRACTION_BELOW)})` : fmtClock(s.stormStartMs))}
${fact('first recovered / recovered', `${at(s.firstRecoveredAtMs)} / ${at(s.recoveredAtMs)}`)}
${fact('recovered by the end', !s.recovered ? 'NO' : s.stormStartMs === undefined ? 'yes (no storm)' : `yes${s.timeToRecoverFromStormSec === undefined ? '' : `, ${fmtDuration(s.timeToRecoverFromStormSec)} after the storm began`}${s.timeToRecoverSec === undefined ? '' : ` (${fmtDuration(s.timeToRecoverSec)} after the trigger)`}`)}
${fact('lowest connected', fmtPct(s.minConnectedFraction))}
${fact('blocked pipelines', i.blockedPipelines)}
${fact('failed secret resolutions', i.failedSecretResolutions)}
${fact('API errors', i.apiErrors)}
${fact('tasks failed / expired', `${i.tasksFailed} / ${i.tasksExpired}`)}
${fact('conservation', s.conservation.held ? 'held' : `VIOLATED: ${s.conservation.violations.join('; ')}`)}
${s.halfOpenSockets > 0 ? fact('half-open sockets at the end', s.halfOpenSockets) : ''}
${fact('trace hash', `${s.traceHash} (${s.events} events)`)}
</div>`;
}

/** The list under the charts that names every marker, with its colour, time and the topology's words. */
export function markerListHtml(markers: readonly Marker[]): SafeHtml {
  if (markers.length === 0) return html`<p class="muted">No timeline events.</p>`;
  return html`<ul class="markers">${markers.map((m) => {
    const style = MARKER_STYLE[m.kind];
    return html`<li><span class="swatch${style.dash ? ' dash' : ''}" style="border-top-color: ${style.color}"></span><span class="mono">${fmtClock(m.atMin * 60_000)}</span> <b>${m.label}</b> <span class="muted">${m.detail}</span></li>`;
  })}</ul>`;
}

export function runSections(input: RunReportInput, idPrefix = 'run'): RunSections {
  const { params, result, seed } = input;
  const markers = runMarkers(params, result.summary, input.recoveredFraction);
  const chartSpecs = runCharts(idPrefix, result, markers, input.recoveredFraction);
  const replay = input.replay ?? replayCommand(input.file, seed, input.engine);
  const log = result.summary.log;
  return {
    verdict: verdictHtml(input.verdict),
    run: runFactsHtml(input),
    charts: html`<div class="charts">${chartSpecs.map(chartFigure)}</div><h3>Markers</h3>${markerListHtml(markers)}`,
    log:
      log.length === 0
        ? html`<p class="muted">(empty)</p>`
        : html`<table class="grid">${log.map(([t, msg]) => html`<tr><td class="num mono">${fmtClock(t)}</td><td>${msg}</td></tr>`)}</table>`,
    settings: html`<div class="facts">${fact('topology', params.name)}${fact('file', input.file)}${fact('seed', seed)}${fact('engine', input.engine ?? 'compiled')}${fact(
      'fleet',
      `${plural(params.delegates.count, 'delegate')}, ${plural(params.router.replicas, 'router')}, ${plural(params.manager.replicas, 'manager')}`,
    )}${fact('simulated', minutes(params.durationMs))}</div>
<p>${params.description}</p>
${settingsHtml(params)}`,
    replay: html`<pre class="mono">${replay}</pre>`,
    chartSpecs,
  };
}

/** A run's report as one self-contained HTML page. */
export function runReportHtml(input: RunReportInput): string {
  const { params, seed } = input;
  const s = runSections(input);
  return renderPage({
    title: `stampede run: ${params.name}`,
    subtitle: `${input.file} · seed ${seed} · ${plural(params.delegates.count, 'delegate')} · ${minutes(params.durationMs)} simulated · trace hash ${input.result.summary.traceHash}`,
    body: html`${s.verdict}
<h2>The run as written</h2>${s.run}
<h2>Signals</h2>${s.charts}
<h2>Rollout log</h2>${s.log}
<h2>Replay</h2>${s.replay}
<h2>Resolved settings</h2>${s.settings}`,
    charts: s.chartSpecs,
  });
}
