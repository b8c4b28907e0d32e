/**
 * The resolved settings of a run as tables: every PlatformParams value by
 * its path (router.pool.pendingAcquireTimeoutMs), grouped by section, with
 * durations also in words ("45000 ms = 45 s"). The timeline has its own table.
 */
import type { PlatformParams } from '@stampede/model';
import { describeEvent, fmtClock, fmtMs } from '../summary-format.ts';
import { html, type SafeHtml } from './escape.ts';

type Row = [path: string, value: string];

function valueText(key: string, v: unknown): string {
  if (typeof v === 'number' && /Ms$/.test(key) && v >= 1000) return `${v} ms = ${fmtMs(v)}`;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Leaf values of `value` as [dotted path, text] rows. */
export function flattenSettings(value: unknown, prefix = ''): Row[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [[prefix, valueText(prefix.slice(prefix.lastIndexOf('.') + 1), value)]];
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flattenSettings(v, prefix ? `${prefix}.${k}` : k));
}

/** One table per top-level section (the scalars together under "run"), then the timeline. */
export function settingsHtml(params: PlatformParams): SafeHtml {
  const { timeline, ...rest } = params;
  const scalars: Row[] = [];
  const groups: [string, Row[]][] = [];
  for (const [k, v] of Object.entries(rest)) {
    if (v !== null && typeof v === 'object') groups.push([k, flattenSettings(v)]);
    else scalars.push(...flattenSettings(v, k));
  }
  const table = (title: string, rows: Row[]) =>
    html`<div><h3>${title}</h3><table class="grid">${rows.map(([p, v]) => html`<tr><td class="mono">${p}</td><td class="mono">${v}</td></tr>`)}</table></div>`;
  return html`<div class="settings">${table('run', scalars)}${groups.map(([k, rows]) => table(k, rows))}</div>
<h3>timeline</h3>${timelineHtml(params)}
<details><summary>all settings as JSON</summary><pre>${JSON.stringify(params, null, 2)}</pre></details>`;
}

/** The timeline as scheduled: time, what, the topology's label. */
export function timelineHtml(params: PlatformParams): SafeHtml {
  if (params.timeline.length === 0) return html`<p class="muted">No timeline events: steady state only.</p>`;
  let pool = params.router.pool;
  const rows = [...params.timeline]
    .sort((a, b) => a.atMs - b.atMs)
    .map((e) => {
      const row = html`<tr><td class="num mono">${fmtClock(e.atMs)}</td><td>${describeEvent(e, pool)}</td><td>${e.label}</td></tr>`;
      if (e.kind === 'rollout' && e.target === 'router' && e.pool !== undefined) pool = { ...pool, ...e.pool };
      return row;
    });
  return html`<table class="grid"><tr><th class="num">at</th><th>event</th><th>label</th></tr>${rows}</table>`;
}
