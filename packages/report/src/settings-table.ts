/**
 * The resolved settings of a run as tables, in the words of a topology file: every field by the path a file writes
 * (router.pool.pendingAcquireTimeout), its value as a file writes it (45s), and whether it is the default, grouped
 * by section. The values come from the resolved run, so they are what ran, whatever the file left out. The timeline
 * has its own table; the resolved parameters themselves (with units in their names) stay in the JSON block.
 */
import { type PlatformParams, routerPoolAfter, topologySettings } from '@stampede/model';
import { html, type SafeHtml } from './escape.ts';
import { describeEvent, fmtClock } from './text.ts';

/** One table per top-level section (the run's own fields together under "run"), then the timeline. */
export function settingsHtml(params: PlatformParams): SafeHtml {
  const groups = new Map<string, ReturnType<typeof topologySettings>>();
  for (const row of topologySettings(params)) {
    const section = row.path.includes('.') ? row.path.slice(0, row.path.indexOf('.')) : 'run';
    groups.set(section, [...(groups.get(section) ?? []), row]);
  }
  const table = (title: string, rows: ReturnType<typeof topologySettings>) =>
    html`<div><h3>${title}</h3><table class="grid">${rows.map(
      (r) =>
        html`<tr${r.isDefault ? '' : html` class="changed"`}><td class="mono">${r.path}</td><td class="mono">${r.value}</td><td class="muted">${r.isDefault ? 'default' : 'set'}</td></tr>`,
    )}</table></div>`;
  return html`<p class="muted">Every setting by its name in a topology file; <b>set</b>: differs from the default (the file set it).</p>
<div class="settings">${[...groups].map(([k, rows]) => table(k, rows))}</div>
<h3>timeline</h3>${timelineHtml(params)}
<details><summary>the resolved parameters as JSON (the model's names, units in the names)</summary><pre>${JSON.stringify(params, null, 2)}</pre></details>`;
}

/** The timeline as scheduled: time, what, the topology's label. */
export function timelineHtml(params: PlatformParams): SafeHtml {
  if (params.timeline.length === 0) return html`<p class="muted">No timeline events: steady state only.</p>`;
  let pool = params.router.pool;
  const rows = [...params.timeline]
    .sort((a, b) => a.atMs - b.atMs)
    .map((e) => {
      const row = html`<tr><td class="num mono">${fmtClock(e.atMs)}</td><td>${describeEvent(e, pool)}</td><td>${e.label}</td></tr>`;
      pool = routerPoolAfter(pool, e);
      return row;
    });
  return html`<table class="grid"><tr><th class="num">at</th><th>event</th><th>label</th></tr>${rows}</table>`;
}
