/**
 * `stampede whatif` end to end on the 200-delegate incident: branches at
 * minute 15 (a rollback ends the storm, a kill does not), the JSON, the text
 * table and the page with every branch on one chart; the latest minute for a
 * rollback; and the requests it refuses before running anything.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WhatifResult } from '@stampede/check';
import { afterAll, describe, expect, it } from 'vitest';
import { stampede } from './cli.helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-whatif-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = 'examples/topologies/prod4-incident-small.yaml';
const BRANCHES = ['whatif', SMALL, '--at', '15m', '--try', '{rollback: router}', '--try', '{kill: router, count: 2}', '--workers', '2'];

describe('stampede whatif', { timeout: 300_000 }, () => {
  it('branches at 15m: the rollback ends the storm and avoids most of the impact; killing two routers does not', async () => {
    const r = await stampede([...BRANCHES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const w = JSON.parse(r.stdout) as WhatifResult;
    expect([w.atMs, w.branching, w.asWritten.verdict]).toEqual([15 * 60_000, { mode: 'forked', reason: null }, 'metastable']);
    const [rollback, kill] = w.branches;
    expect([rollback!.action, rollback!.result.verdict]).toEqual(['{rollback: router}', 'recovered']);
    expect(rollback!.result.afterActionSec).toBeGreaterThan(0);
    expect(rollback!.result.afterActionSec).toBeLessThan(600);
    expect(rollback!.impactAvoided.blockedPipelines).toBeGreaterThan(0);
    expect(rollback!.impactAvoided.blockedPipelines).toBe(
      w.asWritten.run!.impact.blockedPipelines - rollback!.result.run!.impact.blockedPipelines,
    );
    expect([kill!.result.verdict, kill!.result.afterActionSec]).toEqual(['metastable', null]);
  });

  it('prints the table and writes one chart with every branch', async () => {
    const report = join(dir, 'whatif.html');
    const r = await stampede([...BRANCHES, '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/as written \(no action\)\s+│ metastable \(abandoned-acquires\)\s+│ not by itself/);
    expect(r.stdout).toMatch(/\{rollback: router\}\s+│ recovered\s+│ \d+ min( \d+ s)?\s+│/);
    expect(r.stdout).toContain('every branch is forked from one run of the minutes before its action');
    const page = readFileSync(report, 'utf8');
    for (const label of ['as written', '{rollback: router}', '{kill: router, count: 2}'])
      expect(page).toContain(JSON.stringify(label).slice(1, -1));
  });

  it('finds that a rollback still works at the latest minute searched', async () => {
    const r = await stampede(['whatif', SMALL, '--latest', '{rollback: router}', '--within', '10m', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const w = JSON.parse(r.stdout) as WhatifResult;
    expect(w.latest).toMatchObject({ action: '{rollback: router}', withinMs: 600_000, latestMs: 65 * 60_000, firstTooLateMs: null });
    // the search starts at the storm (10:35 in the run as written, on the 30 s grid: 11:00)
    expect(w.latest!.probes.map((p) => p.atMs)).toEqual([11 * 60_000, 65 * 60_000]);
  });

  it.each([
    [['--try', '{rollback: router}'], '--try needs --at T'],
    [['--at', '15m'], '--at T needs one or more --try ACTION'],
    [['--latest', '{rollback: router}'], '--latest ACTION and --within D go together'],
    [['--at', 'soon', '--try', '{rollback: router}'], '--at "soon"'],
    [['--at', '15m', '--try', '{rollbak: router}'], 'does not fit'],
    [[], 'nothing to do'],
  ])('refuses %j before running anything', async (args, message) => {
    const r = await stampede(['whatif', SMALL, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
