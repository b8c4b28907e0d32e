/**
 * Ctrl-C and SIGTERM: an interrupted `run --trace`, `sweep` or `check`
 * removes its temporary files, says in one line what it removed and kept,
 * and exits 130 (SIGINT) or 143 (SIGTERM). Each test starts the command as
 * a user would, waits for its first line of output (the settings header),
 * then sends the signal.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './cli.helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = 'examples/topologies/prod4-incident-small.yaml';
const LAUNCHER = ['packages/cli/bin/stampede.js'];
const DIRECT = ['--conditions=source', '--import', 'tsx', 'packages/cli/src/main.ts'];

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** whether the signal was sent before the process ended by itself */
  sent: boolean;
}

/** Starts `node …entry args`, sends `signal` once stdout shows `waitFor` (plus `delayMs`), and collects the outcome. */
function interrupt(entry: string[], args: string[], signal: NodeJS.Signals, waitFor: string, delayMs = 200): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...entry, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes(waitFor)) {
        sent = true;
        setTimeout(() => child.kill(signal), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code, sig) => resolve({ code, signal: sig, stdout, stderr, sent }));
  });
}

const tmpFiles = (d: string) => readdirSync(d, { recursive: true }).filter((f) => String(f).endsWith('.tmp'));

describe('interrupted commands', () => {
  it('run --trace, SIGINT through the launcher: the simulation stops, the temporary trace is removed, exit 130', {
    timeout: 60_000,
  }, async () => {
    const out = join(dir, 'run-int');
    const trace = join(out, 'incident.json');
    const r = await interrupt(LAUNCHER, ['run', SMALL, '--trace', trace], 'SIGINT', 'stampede run');
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(
      /^stampede run: interrupted by SIGINT; removed the unfinished trace .*\.incident\.json\.\d+\.tmp; nothing written\n$/,
    );
    // the run did not get to its summary
    expect(r.stdout).not.toContain('trace hash');
    expect(existsSync(trace)).toBe(false);
    expect(tmpFiles(out)).toEqual([]);
  });

  it('run --trace, SIGTERM to the process itself (no launcher): stopped before anything is written, exit 143', {
    timeout: 60_000,
  }, async () => {
    const out = join(dir, 'run-term');
    const trace = join(out, 'incident.json');
    const r = await interrupt(DIRECT, ['run', SMALL, '--trace', trace, '--out', join(out, 'series')], 'SIGTERM', 'stampede run');
    expect(r.sent).toBe(true);
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/^stampede run: interrupted by SIGTERM; removed the unfinished trace .*\.tmp; nothing written\n$/);
    expect(r.stdout).not.toContain('trace hash');
    expect(existsSync(trace)).toBe(false);
    expect(existsSync(join(out, 'series', 'summary.json'))).toBe(false);
    expect(tmpFiles(out)).toEqual([]);
  });

  it('sweep, SIGINT: the worker threads stop, nothing is written, exit 130', { timeout: 60_000 }, async () => {
    const out = join(dir, 'sweep');
    const r = await interrupt(
      LAUNCHER,
      ['sweep', SMALL, '--vary', 'delegates.reconnect.delay=1s..30s:6', '--out', out, '--workers', '1'],
      'SIGINT',
      'stampede sweep',
      100,
    );
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(
      /^stampede sweep: interrupted by SIGINT after \d of 6 cells \(not resumable: rerun the sweep\); no temporary file left; nothing written\n$/,
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it('check, SIGTERM: the judging threads stop, exit 143', { timeout: 60_000 }, async () => {
    const r = await interrupt(LAUNCHER, ['check', SMALL, '--runs', '200', '--workers', '1'], 'SIGTERM', 'stampede check', 100);
    expect(r.sent).toBe(true);
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('stampede check: interrupted by SIGTERM; no temporary file left; nothing written\n');
    expect(r.stdout).not.toContain('property holds');
  });
});
