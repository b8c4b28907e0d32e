/**
 * The HTML reports: user text never becomes markup, the page loads nothing
 * from the network, the chart data round-trips through the page's JSON, the
 * markers sit where the run's timeline says, and `--report` is checked before
 * the run and written after it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge } from '@stampede/check';
import { type PlatformParams, prod4Incident, type RunResult, runPlatform } from '@stampede/model';
import type { ChartSpec } from '@stampede/report';
import { lowestPerStep, ratePerSec } from '@stampede/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import {
  checkReportHtml,
  checkReportPath,
  demoReportHtml,
  escapeHtml,
  heatmapHtml,
  jsonForScript,
  runMarkers,
  runReportHtml,
  scenarioTimeline,
  sweepReportHtml,
} from '../src/report/index.ts';
import { verdictFor } from '../src/report/run-report-file.ts';
import { stampede } from './cli.helpers.ts';
import { fixedSummary } from './fixtures.ts';

const MIN = 60_000;
const EVIL = '<script>alert(1)</script>';
const BREAKOUT = '</script><script>alert(2)</script><!--';

const dir = mkdtempSync(join(tmpdir(), 'stampede-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The incident at 200 delegates over 25 minutes (rollback at 18:00), with hostile text in every user-supplied string. */
function hostileIncident(): PlatformParams {
  const p = prod4Incident({ delegates: 200 });
  p.name = `incident ${EVIL}`;
  p.description = `description ${BREAKOUT}`;
  p.durationMs = 25 * MIN;
  p.timeline = p.timeline.map((e) => (e.kind === 'rollback' ? { ...e, atMs: 18 * MIN, label: BREAKOUT } : e));
  return p;
}

let params: PlatformParams;
let result: RunResult;
let page: string;

beforeAll(() => {
  params = hostileIncident();
  result = runPlatform(params, { seed: 3 });
  page = runReportHtml({
    file: `topologies/${EVIL}.yaml`,
    seed: 3,
    params,
    result,
    recoveredFraction: 0.99,
    verdict: judge(params, 3),
  });
});

/** The page's executable inline scripts and its JSON data block. */
function scriptsOf(html: string) {
  const all = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  const json = all.filter((m) => m[1]!.includes('application/json'));
  return { all, code: all.filter((m) => !m[1]!.includes('application/json')).map((m) => m[2]!), json: json.map((m) => m[2]!) };
}

describe('escaping', () => {
  it('escapeHtml turns every markup character into an entity', () => {
    expect(escapeHtml(`a & b <i class="x">'y'</i>`)).toBe('a &amp; b &lt;i class=&quot;x&quot;&gt;&#39;y&#39;&lt;/i&gt;');
  });

  it('jsonForScript has no "<" at all and parses back to the same value', () => {
    const value = { label: BREAKOUT, amp: 'a & b > c', lines: 'x\u2028y\u2029z', n: [1, 2.5, null] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('a topology name, description, timeline label and file path with script tags appear escaped, never raw', () => {
    expect(page).not.toContain(EVIL);
    expect(page).not.toContain('alert(2)</script>');
    expect(page).toContain('incident &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('topologies/&lt;script&gt;alert(1)&lt;/script&gt;.yaml');
    // exactly the report's own three script elements: data, uPlot, the drawing script
    const { all } = scriptsOf(page);
    expect(all).toHaveLength(3);
    expect(page.match(/<script/g)).toHaveLength(3);
    expect(page.match(/<\/script>/g)).toHaveLength(3);
  });
});

describe('the run report page', () => {
  it('loads nothing from the network: no external src or href, a CSP of default-src none, scripts allowed by hash', () => {
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(page).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/@import/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1]?.replaceAll('&#39;', "'");
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    // every executable inline script is allowed by its hash: otherwise the browser would block the charts
    const { code } = scriptsOf(page);
    expect(code).toHaveLength(2);
    for (const s of code) expect(csp).toContain(`'sha256-${createHash('sha256').update(s).digest('base64')}'`);
    expect(code[0]).toMatch(/^\/\*! https:\/\/github\.com\/leeoniya\/uPlot \(v1\.\d+\.\d+\) \*\//); // uPlot itself, inlined
  });

  it('lists the settings by the names a topology file writes, values as it writes them, the changed ones marked', () => {
    const settings = page.slice(page.indexOf('<h2>Resolved settings</h2>'), page.indexOf('<h3>timeline</h3>'));
    expect(settings).toContain(
      '<td class="mono">router.pool.pendingAcquireTimeout</td><td class="mono">45s</td><td class="muted">default</td>',
    );
    expect(settings).toContain('<td class="mono">router.strategy.minReadySeconds</td><td class="mono">0</td>');
    // the incident at 200 delegates sets the count; the model's own names (units in the names) stay out of the tables
    expect(settings).toContain(
      '<tr class="changed"><td class="mono">delegates.count</td><td class="mono">200</td><td class="muted">set</td>',
    );
    expect(settings).not.toMatch(/<td class="mono">[\w.]*(Ms|minReadyMs)<\/td>/);
  });

  it('puts the verdict first, with its evidence and the note that the oracle judges without manual rollbacks', () => {
    const v = judge(params, 3);
    const main = page.slice(page.indexOf('<main>'));
    expect(main.indexOf('class="verdict-card')).toBeLessThan(main.indexOf('<h2>'));
    expect(page).toContain(`verdict-word ${v.verdict}">${v.verdict}</div>`);
    expect(page).toContain(escapeHtml(v.evidence));
    expect(page).toContain('without its manual rollbacks');
    expect(page).toContain(`stampede run 'topologies/${escapeHtml(EVIL)}.yaml' --seed 3`.replaceAll("'", '&#39;'));
    expect(page).toContain(result.summary.traceHash);
  });

  it('embeds the charts as JSON that round-trips: one figure per chart, every series as long as the time axis', () => {
    const { json } = scriptsOf(page);
    expect(json).toHaveLength(1);
    const data = JSON.parse(json[0]!) as { charts: ChartSpec[] };
    expect(data.charts.map((c) => c.id)).toEqual([
      'run-connected',
      'run-attempts',
      'run-pending',
      'run-timeouts',
      'run-goodput',
      'run-slots',
      'run-replicas',
    ]);
    for (const c of data.charts) {
      expect(page).toContain(`<figure class="chart ${c.size}" id="${c.id}">`);
      expect(c.timesMin).toHaveLength(result.connected.timesMs.length);
      for (const s of c.series) expect(s.values).toHaveLength(c.timesMin.length);
    }
    const connected = data.charts[0]!.series[0]!.values;
    const afterTrigger = connected.filter((_, i) => data.charts[0]!.timesMin[i]! >= 10);
    expect(Math.max(...connected.map((v) => v ?? 0))).toBe(100);
    expect(Math.min(...afterTrigger.map((v) => v ?? 100))).toBeCloseTo(result.summary.minConnectedFraction * 100, 6);
    // the hostile label travels as data and comes back exactly as written
    const rollback = data.charts[0]!.markers.find((m) => m.kind === 'rollback')!;
    expect(rollback.detail).toContain(BREAKOUT);
  });
});

describe('no verdict', () => {
  it('a topology the oracle cannot judge (no trigger) still gets a report, saying why', () => {
    const quiet = { ...params, timeline: [] };
    const verdict = verdictFor(quiet, 3);
    expect(verdict).toEqual({ unavailable: expect.stringMatching(/^topology .* has no trigger/) });
    const html = runReportHtml({ file: 'quiet.yaml', seed: 3, params: quiet, result, recoveredFraction: 0.99, verdict });
    expect(html).toContain('<section class="verdict-card none">');
    expect(html).toMatch(/No verdict: topology .* has no trigger/);
  });
});

describe('markers', () => {
  it('mark the rollouts at 10:00 as one, each completion, the rollback at 18:00 and its completion, then recovery', () => {
    const markers = runMarkers(params, result.summary, 0.99);
    const at = (label: string) => markers.find((m) => m.label === label)?.atMin;
    expect(at('router + manager rollout')).toBe(10);
    expect(at('router rollout done')).toBeGreaterThan(10);
    expect(at('manager rollout done')).toBeGreaterThan(10);
    expect(at('router rollback')).toBe(18);
    expect(at('router rollback done')).toBeGreaterThan(18);
    if (result.summary.recoveredAtMs !== undefined) expect(at('recovered')).toBe(result.summary.recoveredAtMs / MIN);
    expect(markers.map((m) => m.atMin)).toEqual([...markers.map((m) => m.atMin)].sort((a, b) => a - b));
  });
});

describe('series for the charts', () => {
  it('ratePerSec: a counter sampled every 5 s, over a 10 s window', () => {
    // 0 events until 10 s, then 5 per second
    const s = { timesMs: Float64Array.from([5, 10, 15, 20, 25].map((t) => t * 1000)), values: Float64Array.from([0, 0, 25, 50, 75]) };
    expect(ratePerSec(s, 10_000)).toEqual([0, 0, 2.5, 5, 5]);
  });

  it('lowestPerStep keeps the dip of each 30 s step and repeats the last value over a gap', () => {
    const times = [10, 20, 30, 40, 50, 60, 130].map((t) => t * 1000);
    const values = [1, 0.4, 0.9, 1, 1, 0.7, 1];
    expect(lowestPerStep(times, values, 150_000, 30_000)).toEqual([0.4, 0.7, 0.7, 0.7, 1]);
  });
});

describe('the other reports', () => {
  it('demo: one scoreboard row per scenario with its small chart beside it, failures shown, names escaped', () => {
    const html = demoReportHtml({
      seed: 3,
      dir: `dir ${EVIL}`,
      outcomes: [
        {
          file: `a/${EVIL}.yaml`,
          ok: true,
          summary: fixedSummary(),
          rollbackAtMs: undefined,
          verdict: {
            verdict: 'metastable',
            dominantLoop: 'abandoned-acquires',
            timeToRecoverSec: undefined,
            storm: true,
            timeToRecoverFromStormSec: undefined,
          },
        },
        { file: 'b/broken.yaml', ok: false, kind: 'topology', text: `b/broken.yaml: 1 problem ${BREAKOUT}` },
      ],
      timelines: [scenarioTimeline(params, result, 0.99), undefined],
      recoveredFraction: 0.99,
    });
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain('alert(2)</script>');
    expect(html).toContain('<span class="pill metastable">metastable (abandoned-acquires)</span>');
    expect(html).toContain('<span class="pill error">error (topology)</span>');
    expect(html).toContain('id="scenario-0"');
    expect(html).not.toContain('id="scenario-1"');
    const data = JSON.parse(scriptsOf(html).json[0]!) as { charts: ChartSpec[] };
    expect(data.charts).toHaveLength(1);
    expect(data.charts[0]!.timesMin).toHaveLength(50); // 25 minutes, one point per 30 s
  });

  it('heatmap: verdict colours, time to recover in each cell, the own settings outlined, axes read like a plot', () => {
    const table = heatmapHtml({
      axes: [
        { path: `router.pool.maxConnections${EVIL}`, values: [60, 80] },
        { path: 'router.pool.pendingAcquireTimeoutMs', values: [15_000, 45_000] },
      ],
      cells: [
        { coords: [60, 15_000], verdict: 'metastable', timeToRecoverSec: null },
        { coords: [80, 15_000], verdict: 'recovered', timeToRecoverSec: 165 },
        { coords: [60, 45_000], verdict: 'slow', timeToRecoverSec: null },
      ],
      own: [80, 15_000],
    }).text;
    expect(table).not.toContain(EVIL);
    expect(table).toMatch(/<td class="recovered own" title="[^"]+"><span class="v">recovered ★<\/span>2 min 45 s<\/td>/);
    expect(table).toMatch(/<td class="missing" title="[^"]+: not run">—<\/td>/);
    // the larger timeout is the upper row
    expect(table.indexOf('<th class="row">45000</th>')).toBeLessThan(table.indexOf('<th class="row">15000</th>'));
    expect(() => heatmapHtml({ axes: [], cells: [] })).toThrow(/1 or 2 axes/);
  });

  it('sweep and check pages carry their inputs, escaped', () => {
    const sweep = sweepReportHtml({
      file: `x/${EVIL}.yaml`,
      seed: 9,
      axes: [{ path: 'router.pool.maxConnections', values: [60, 70, 80] }],
      cells: [{ coords: [70], verdict: 'overloaded', timeToRecoverSec: null }],
      marginText: `margin ${BREAKOUT}`,
    });
    expect(sweep).not.toContain(EVIL);
    expect(sweep).not.toContain('alert(2)</script>');
    expect(sweep).toContain('seed 9');
    expect(sweep).toContain('<td class="overloaded"');

    const check = checkReportHtml({
      file: 'incident.yaml',
      topologyName: `prod4 ${EVIL}`,
      seed: 11,
      policiesChecked: 40,
      counts: { recovered: 39, metastable: 1 },
      failure: {
        policyText: `rollout policy (${BREAKOUT})`,
        evidence: 'not recovered at the deadline, minute 28.1 of the run',
        replay: 'stampede check incident.yaml --seed 11 --replay 3:0',
        run: { file: 'incident.yaml', seed: 3, params, result, recoveredFraction: 0.99, verdict: { unavailable: 'not judged here' } },
      },
    });
    expect(check).not.toContain(EVIL);
    expect(check).not.toContain('alert(2)</script>');
    expect(check).toContain('stampede check incident.yaml --seed 11 --replay 3:0');
    expect(check).toContain('id="counterexample-connected"');
    expect(check).toContain('>failed</div>');
  });
});

describe('--report path', () => {
  it('accepts a new .html file in directories still to be created, and creates nothing while checking', () => {
    const path = join(dir, 'new', 'deeper', 'r.html');
    expect(() => checkReportPath(path)).not.toThrow();
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it('refuses a name without .html, a directory, and a path through a regular file, saying why', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    mkdirSync(join(dir, 'a-dir.html'), { recursive: true });
    expect(() => checkReportPath(join(dir, 'r.txt'))).toThrow(/does not end in \.html/);
    expect(() => checkReportPath(join(dir, 'a-dir.html'))).toThrow(/it is a directory/);
    expect(() => checkReportPath(join(file, 'r.html'))).toThrow(UsageError);
    expect(() => checkReportPath(join(file, 'sub', 'r.html'))).toThrow(/plain-file' is a file, not a directory \(ENOTDIR\)/);
  });
});

describe('stampede run and demo --report, end to end', () => {
  // examples/topologies/prod4-incident.yaml at 200 delegates (its steady-state limit 69) over 20 minutes, rollback at 15:00
  const yaml = readFileSync(new URL('../../../examples/topologies/prod4-incident.yaml', import.meta.url), 'utf8')
    .replace(/^ {2}count: 2000\b/m, '  count: 200')
    .replaceAll('maxConnections: 559', 'maxConnections: 69')
    .replace(/^duration: 75m\b/m, 'duration: 20m')
    .replace(/^ {2}- at: 52m$/m, '  - at: 15m');
  const topology = join(dir, 'small-incident.yaml');
  writeFileSync(topology, yaml);

  it('the topology really is the small one', () => {
    expect(yaml).toMatch(/^ {2}count: 200\b/m);
    expect(yaml).not.toContain('maxConnections: 559');
    expect(yaml).toMatch(/^duration: 20m/m);
    expect(yaml).toMatch(/^ {2}- at: 15m$/m);
  });

  it('writes the report and says so', async () => {
    const out = join(dir, 'reports', 'small.html');
    const r = await stampede(['run', topology, '--report', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`wrote ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>stampede run: prod4-incident</title>');
    expect(html).toMatch(/verdict-word (recovered|slow|metastable|overloaded)/);
  });

  it('demo --report: the worker threads send each scenario timeline back, one point per 30 s', async () => {
    const demoDir = join(dir, 'demo');
    mkdirSync(demoDir, { recursive: true });
    writeFileSync(join(demoDir, 'prod4-incident.yaml'), yaml);
    const out = join(dir, 'reports', 'demo.html');
    const r = await stampede(['demo', '--dir', demoDir, '--workers', '1', '--report', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`wrote ${out}`);
    const html = readFileSync(out, 'utf8');
    const data = JSON.parse(scriptsOf(html).json[0]!) as { charts: ChartSpec[] };
    expect(data.charts.map((c) => c.id)).toEqual(['scenario-0']);
    expect(data.charts[0]!.timesMin).toHaveLength(40); // 20 minutes
    expect(data.charts[0]!.markers.map((m) => m.label)).toContain('router rollback');
  });

  it('a --report path through a regular file fails before the run: exit code 2, one line, nothing else printed', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await stampede(['run', topology, '--report', join(file, 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(''); // not even the settings header: nothing ran
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^stampede: cannot write the --report file '.*not-a-dir\/r\.html': '.*not-a-dir' is a file, not a directory/);
  });
});
