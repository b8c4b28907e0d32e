/**
 * The report of `stampede check --report R.html`: what was checked (topology,
 * seed, how many rollout policies), the verdict counts, and for a failure the
 * shrunk policy in words, its evidence, its replay command and the full run
 * report of that counterexample (the same sections as `run --report`).
 */
import type { VerdictKind } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { html } from './escape.ts';
import { renderPage } from './page.ts';
import { type RunReportInput, runSections } from './run-report.ts';

export interface CheckReportInput {
  /** the topology file as the user typed it */
  file: string;
  topologyName: string;
  /** fast-check's seed */
  seed: number;
  /** what ran the actors' machines in every judgement. @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  /** the property in words; default "never metastable, for every rollout policy" */
  property?: string;
  /** generated policies judged (including those tried while shrinking, if the caller counts them) */
  policiesChecked: number;
  /** how many policies got each verdict */
  counts: Partial<Record<VerdictKind, number>>;
  /** the command that reruns the check */
  command?: string;
  /** present when the property failed */
  failure?: {
    /** the shrunk counterexample in words (describeCase) */
    policyText: string;
    /** the oracle's evidence for it */
    evidence: string;
    /** the command that reruns exactly this case */
    replay: string;
    /** the run of the counterexample, shown as `run --report` shows a run */
    run?: RunReportInput;
  };
}

const VERDICTS: readonly VerdictKind[] = ['recovered', 'slow', 'metastable', 'overloaded'];

/** The check's report as one self-contained HTML page. */
export function checkReportHtml(input: CheckReportInput): string {
  const f = input.failure;
  const run = f?.run === undefined ? undefined : runSections({ ...f.run, replay: f.run.replay ?? f.replay }, 'counterexample');
  const outcome = f === undefined ? 'recovered' : 'metastable';
  const body = html`<section class="verdict-card ${outcome}">
<div class="verdict-main"><div class="verdict-label">property</div>
<div class="verdict-word ${outcome}">${f === undefined ? 'held' : 'failed'}</div>
<div>${input.property ?? 'never metastable, for every rollout policy'}</div></div>
<div class="verdict-body">
<div class="facts">
<div class="fact"><div class="k">topology</div><div class="v">${input.topologyName}</div></div>
<div class="fact"><div class="k">file</div><div class="v">${input.file}</div></div>
<div class="fact"><div class="k">seed</div><div class="v">${input.seed}</div></div>
<div class="fact"><div class="k">engine</div><div class="v">${input.engine ?? 'compiled'}</div></div>
<div class="fact"><div class="k">cases judged (shrinking included)</div><div class="v">${input.policiesChecked}</div></div>
</div>
<p class="legend">${VERDICTS.map((v) => html`<span><span class="pill ${v}">${v}</span> ${input.counts[v] ?? 0}</span>`)}</p>
</div>
</section>
${
  f === undefined
    ? ''
    : html`<h2>Counterexample (shrunk)</h2>
<p><b>${f.policyText}</b></p>
<p class="evidence">${f.evidence}</p>
<h3>Replay this case</h3><pre class="mono">${f.replay}</pre>`
}
${input.command === undefined ? '' : html`<h2>Replay the check</h2><pre class="mono">${input.command}</pre>`}
${
  run === undefined
    ? ''
    : html`<h2>The counterexample's run</h2>${run.verdict}
<h3>The run as written</h3>${run.run}
<h3>Signals</h3>${run.charts}
<h3>Rollout log</h3>${run.log}
<h3>Resolved settings</h3>${run.settings}`
}`;
  return renderPage({
    title: `stampede check: ${input.topologyName}`,
    subtitle: `${input.file} · seed ${input.seed} · ${input.policiesChecked} cases judged · ${f === undefined ? 'held' : 'counterexample found'}`,
    body,
    charts: run?.chartSpecs ?? [],
  });
}
