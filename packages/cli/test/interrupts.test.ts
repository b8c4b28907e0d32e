/**
 * Ctrl-C and SIGTERM: an interrupted `run --trace`, `sweep` or `check`
 * removes its temporary files, says in one line what it removed and kept,
 * and exits 130 (SIGINT) or 143 (SIGTERM); an interrupted sweep keeps its
 * finished cells and resumes. Each test starts the command as a user would,
 * waits for a line of its output (the settings header, a progress line),
 * then sends the signal.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, stampede as stampedeCli } from './cli.helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = 'examples/topologies/prod4-incident-small.yaml';
const LAUNCHER = ['packages/cli/bin/stampede.js'];
const DIRECT = ['packages/cli/dist/src/main.js'];

interface Interrupted {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** whether the signal was sent before the process ended by itself */
  sent: boolean;
}

/** Starts `node …entry args`, sends `signal` once stdout or stderr shows `waitFor` (plus `delayMs`), and collects the outcome. */
function interrupt(
  entry: string[],
  args: string[],
  signal: NodeJS.Signals,
  waitFor: string,
  delayMs = 200,
  env: Record<string, string> = {},
): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...entry, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const watch = () => {
      if (!sent && (stdout.includes(waitFor) || stderr.includes(waitFor))) {
        sent = true;
        setTimeout(() => child.kill(signal), delayMs);
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      watch();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      watch();
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

  it('sweep, SIGINT before a cell finished: the worker threads stop, nothing is written, exit 130', { timeout: 60_000 }, async () => {
    const out = join(dir, 'sweep-early');
    const r = await interrupt(
      LAUNCHER,
      ['sweep', SMALL, '--vary', 'delegates.reconnect.delay=1s..30s:6', '--out', out, '--workers', '1'],
      'SIGINT',
      'stampede sweep',
      0,
    );
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('stampede sweep: interrupted by SIGINT after 0 of 6 cells; no temporary file left; nothing written\n');
    expect(readdirSync(out)).toEqual([]);
  });

  it('sweep, SIGINT after some cells: keeps them, and the same command resumes to the bytes of an uninterrupted sweep', {
    timeout: 120_000,
  }, async () => {
    const out = join(dir, 'sweep');
    const args = ['sweep', SMALL, '--vary', 'delegates.reconnect.delay=1s..30s:6', '--out', out, '--workers', '1'];
    const progressEveryCell = { STAMPEDE_PROGRESS_SECONDS: '0' };
    const r = await interrupt(LAUNCHER, args, 'SIGINT', 'stampede sweep: 2 of 6 cells judged', 0, progressEveryCell);
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    const journal = join(out, 'cells.partial.jsonl');
    const line = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(line).toMatch(
      /^stampede sweep: interrupted by SIGINT after [2-5] of 6 cells \(the same command resumes from the finished cells\); no temporary file left; kept \S*cells\.partial\.jsonl$/,
    );
    expect(line).toContain(journal);
    const kept = Number(/after (\d) of/.exec(line)![1]);
    expect(readFileSync(journal, 'utf8').trimEnd().split('\n')).toHaveLength(1 + kept); // the header, then a line per cell
    expect(existsSync(join(out, 'sweep.json'))).toBe(false);

    const resumed = await stampedeCli(args, progressEveryCell);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resuming: ${kept} of 6 cells already judged (kept in ${journal}; --restart judges them again)`);
    expect(resumed.stdout).toContain(`${6 - kept} cell${6 - kept === 1 ? '' : 's'} in `);
    expect(resumed.stderr).toContain('stampede sweep: 6 of 6 cells judged');
    expect(existsSync(journal)).toBe(false); // done: nothing left to resume

    const fresh = join(dir, 'sweep-fresh');
    const whole = await stampedeCli([...args.slice(0, -4), '--out', fresh, '--workers', '1']);
    expect(whole.code).toBe(0);
    expect(readFileSync(join(out, 'sweep.json'), 'utf8')).toBe(readFileSync(join(fresh, 'sweep.json'), 'utf8'));
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).toBe(readFileSync(join(fresh, 'sweep.csv'), 'utf8'));
  });

  it('check, SIGTERM: the judging threads stop, exit 143', { timeout: 60_000 }, async () => {
    const r = await interrupt(LAUNCHER, ['check', SMALL, '--runs', '200', '--workers', '1'], 'SIGTERM', 'stampede check', 100);
    expect(r.sent).toBe(true);
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('stampede check: interrupted by SIGTERM; no temporary file left; nothing written\n');
    expect(r.stdout).not.toContain('property holds');
  });
});
