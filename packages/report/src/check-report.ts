/**
 * The report of `stampede check --report R.html`: what was checked (topology,
 * seed, how many generated rollout policies), the verdict counts of exactly
 * those, the shrink candidates judged on top (and whether the budget stopped
 * the shrinking), and for a failure the shrunk policy in words, its evidence,
 * its replay command and the full run report of that counterexample (the
 * same sections as `run --report`).
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
  /** the property in words; default: what was checked and what it found, e.g. "held for 4 generated rollout policies (seed 1): none was metastable" */
  property?: string;
  /** generated policies judged (up to the first failure, or all of them): what `counts` tallies; shrink candidates are in `shrink` */
  policiesChecked: number;
  /** with injected faults (--faults) */
  faults?: boolean | undefined;
  /** how many of the `policiesChecked` policies got each verdict */
  counts: Partial<Record<VerdictKind, number>>;
  /** the shrinking of a failure: candidates judged on top of `policiesChecked`, the budget, whether it ran out */
  shrink?: { steps: number; budget: number; exhausted: boolean; smaller: number } | undefined;
  /** the counterexample path replayed (--replay): one case judged, no shrinking */
  replayed?: string | undefined;
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

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The property line under "held"/"failed": what was checked, never more. */
function propertyText(input: CheckReportInput): string {
  const held = input.failure === undefined;
  if (input.replayed !== undefined) return `the replayed case ${input.replayed} is ${held ? 'not ' : ''}metastable`;
  const what = `${plural(input.policiesChecked, 'generated rollout policy', 'generated rollout policies')}${input.faults ? ' with injected faults' : ''}`;
  return held
    ? `held for ${what} (seed ${input.seed}): none was metastable`
    : `failed: one of ${what} (seed ${input.seed}) is metastable, a self-sustaining failure loop`;
}

/** The counterexample's heading: how far it was shrunk. */
function shrinkHeading(input: CheckReportInput): string {
  const s = input.shrink;
  if (s === undefined) return input.replayed !== undefined ? 'Counterexample (replayed)' : 'Counterexample';
  if (s.exhausted && s.steps === 0) return `Counterexample (not shrunk: --max-shrink ${s.budget}; it may shrink further)`;
  if (s.exhausted)
    return `Counterexample (shrunk in ${plural(s.steps, 'step')}, stopped at --max-shrink ${s.budget}; it may shrink further)`;
  return `Counterexample (shrunk in ${plural(s.steps, 'step')})`;
}

/** The check's report as one self-contained HTML page. */
export function checkReportHtml(input: CheckReportInput): string {
  const f = input.failure;
  const run = f?.run === undefined ? undefined : runSections({ ...f.run, replay: f.run.replay ?? f.replay }, 'counterexample');
  const outcome = f === undefined ? 'recovered' : 'metastable';
  const s = input.shrink;
  const judged = `${plural(input.policiesChecked, 'generated case')}${s === undefined ? '' : ` + ${plural(s.steps, 'shrink candidate')}`} judged`;
  const body = html`<section class="verdict-card ${outcome}">
<div class="verdict-main"><div class="verdict-label">property</div>
<div class="verdict-word ${outcome}">${f === undefined ? 'held' : 'failed'}</div>
<div>${input.property ?? propertyText(input)}</div></div>
<div class="verdict-body">
<div class="facts">
<div class="fact"><div class="k">topology</div><div class="v">${input.topologyName}</div></div>
<div class="fact"><div class="k">file</div><div class="v">${input.file}</div></div>
<div class="fact"><div class="k">seed</div><div class="v">${input.seed}</div></div>
<div class="fact"><div class="k">engine</div><div class="v">${input.engine ?? 'compiled'}</div></div>
<div class="fact"><div class="k">generated cases judged</div><div class="v">${input.policiesChecked}</div></div>
${
  s === undefined
    ? ''
    : html`<div class="fact"><div class="k">shrink candidates judged</div><div class="v">${s.steps} of at most ${s.budget}${s.exhausted ? ' (budget used up)' : ''}; ${s.smaller} still metastable</div></div>`
}
</div>
<p class="legend">verdicts of the ${plural(input.policiesChecked, 'generated case')}: ${VERDICTS.map((v) => html`<span><span class="pill ${v}">${v}</span> ${input.counts[v] ?? 0}</span>`)}</p>
</div>
</section>
${
  f === undefined
    ? ''
    : html`<h2>${shrinkHeading(input)}</h2>
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
    subtitle: `${input.file} · seed ${input.seed} · ${judged} · ${f === undefined ? 'held' : 'counterexample found'}`,
    body,
    charts: run?.chartSpecs ?? [],
  });
}
