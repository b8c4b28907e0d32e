/**
 * End to end: `stampede run --trace` and `--log-level` on the incident
 * topology cut down to 200 delegates and 15 simulated minutes (trigger at
 * 10 min, rollback at 13 min), through the model's YAML loader.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, stampede } from './cli.helpers.ts';

const incident = readFileSync(join(repoRoot, 'examples/topologies/prod4-incident.yaml'), 'utf8');
const SMALL = incident
  .replace(/^duration: 75m/m, 'duration: 15m')
  .replace(/^ {2}count: 2000/m, '  count: 200')
  .replace(/^ {2}- at: 52m/m, '  - at: 13m');

const dir = mkdtempSync(join(tmpdir(), 'stampede-trace-'));
const file = join(dir, 'small-incident.yaml');
writeFileSync(file, SMALL);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIN_US = 60_000_000;

interface TraceEvent {
  name: string;
  ph: string;
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: number;
  bp?: string;
  s?: string;
  args?: Record<string, unknown>;
}

function readTrace(path: string): { traceEvents: TraceEvent[]; displayTimeUnit: string; otherData: Record<string, string> } {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** thread_name metadata: track (pid:tid) → actor id */
const trackNames = (events: TraceEvent[]) =>
  new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, String(e.args?.name)]));

const hashOf = (stdout: string) => (JSON.parse(stdout) as { traceHash: string }).traceHash;

describe('stampede run --trace', () => {
  it('writes a Chrome trace that parses, names every track, pairs every flow, and is the same bytes for the same seed; the run is unchanged', async () => {
    const [a, b, plain] = await Promise.all([
      stampede(['run', file, '--seed', '3', '--json', '--trace', join(dir, 'a.json')]),
      stampede(['run', file, '--seed', '3', '--json', '--trace', join(dir, 'sub/b.json')]),
      stampede(['run', file, '--seed', '3', '--json']),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(plain.code).toBe(0);
    // stdout stays one JSON object; what was written goes to stderr under --json
    expect(a.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(hashOf(a.stdout)).toBe(hashOf(plain.stdout));
    expect(hashOf(b.stdout)).toBe(hashOf(plain.stdout));
    expect(a.stderr).toMatch(/^wrote .*a\.json: [\d,]+ trace events, 2\d\d actor tracks, [\d.]+ MB \(window 0s\.\.15m, actors \*\)/);

    const bytes = readFileSync(join(dir, 'a.json'));
    expect(readFileSync(join(dir, 'sub/b.json')).equals(bytes)).toBe(true);

    const trace = readTrace(join(dir, 'a.json'));
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.otherData).toMatchObject({ topology: 'prod4-incident', seed: '3', window: '0s..15m', actors: '*' });
    const events = trace.traceEvents;
    const names = trackNames(events);
    // the fleet, the pods of both rollouts, the controllers, the workload and the timeline
    expect([...names.values()]).toEqual(
      expect.arrayContaining(['delegate-0', 'delegate-199', 'router-r1-0', 'router-r2-4', 'manager-r1-0']),
    );
    expect([...names.values()]).toEqual(expect.arrayContaining(['deploy-router', 'deploy-manager', 'autoscaler', 'workload', 'timeline']));
    const processNames = events.filter((e) => e.name === 'process_name').map((e) => e.args?.name);
    expect(processNames).toEqual(expect.arrayContaining(['delegates', 'routers', 'managers', 'controllers']));

    // every event that is not metadata sits on a named track (or is a global timeline mark)
    for (const e of events) if (e.ph !== 'M' && e.s !== 'g') expect(names.has(`${e.pid}:${e.tid}`)).toBe(true);

    const slices = events.filter((e) => e.ph === 'X');
    expect(slices.length).toBeGreaterThan(1000);
    for (const s of slices) {
      expect(s.dur).toBeGreaterThanOrEqual(0);
      expect(s.ts! + s.dur!).toBeLessThanOrEqual(15 * MIN_US);
    }
    // the states of a delegate are contiguous: each slice starts where the previous one ended
    const d0 = [...names].find(([, n]) => n === 'delegate-0')![0];
    const d0Slices = slices.filter((s) => `${s.pid}:${s.tid}` === d0).sort((x, y) => x.ts! - y.ts!);
    expect(d0Slices[0]!.ts).toBe(0);
    for (let i = 1; i < d0Slices.length; i++) expect(d0Slices[i]!.ts).toBe(d0Slices[i - 1]!.ts! + d0Slices[i - 1]!.dur!);
    expect(d0Slices.map((s) => s.name)).toEqual(expect.arrayContaining(['booting', 'connected.healthy']));

    const starts = new Map(events.filter((e) => e.ph === 's').map((e) => [e.id, e]));
    const finishes = events.filter((e) => e.ph === 'f');
    expect(starts.size).toBeGreaterThan(1000);
    expect(finishes).toHaveLength(starts.size);
    for (const f of finishes) {
      const s = starts.get(f.id);
      expect(s?.name).toBe(f.name);
      expect(f.bp).toBe('e');
      expect(f.ts).toBeGreaterThanOrEqual(s!.ts!);
    }
    // the rollouts and the rollback are marked across all tracks
    const marks = events.filter((e) => e.s === 'g').map((e) => [e.ts, e.name]);
    expect(marks).toEqual(
      expect.arrayContaining([
        [10 * MIN_US, 'rollout router: router upgrade: fixed connection limit'],
        [13 * MIN_US, 'rollback router: manual rollback of the router, 42 min in'],
      ]),
    );
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps only the window and the actors asked for; a flow only when both ends are kept', async () => {
    const out = join(dir, 'window.json');
    const r = await stampede([
      'run',
      file,
      '--quiet',
      '--trace',
      out,
      '--trace-window',
      '9m..12m',
      '--trace-actors',
      'router-*,deploy-router',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /wrote .*window\.json: [\d,]+ trace events, \d+ actor tracks, [\d.]+ MB \(window 9m\.\.12m, actors router-\*,deploy-router\)/,
    );
    const { traceEvents: events, otherData } = readTrace(out);
    expect(otherData).toMatchObject({ window: '9m..12m', actors: 'router-*,deploy-router' });
    const names = [...trackNames(events).values()];
    expect(names).toEqual(expect.arrayContaining(['deploy-router', 'router-r1-0', 'router-r2-4']));
    for (const n of names) expect(n).toMatch(/^(router-|deploy-router$)/);
    const timed = events.filter((e) => e.ph !== 'M');
    expect(timed.length).toBeGreaterThan(0);
    for (const e of timed) {
      expect(e.ts).toBeGreaterThanOrEqual(9 * MIN_US);
      expect(e.ts! + (e.dur ?? 0)).toBeLessThanOrEqual(12 * MIN_US);
    }
    // the controller terminates and creates router pods: flows between kept actors
    const flowNames = new Set(events.filter((e) => e.ph === 's').map((e) => e.name));
    expect(flowNames).toContain('POD_READY');
    expect(events.filter((e) => e.ph === 'f')).toHaveLength(events.filter((e) => e.ph === 's').length);
  });

  it('stops at --trace-max-events with a warning, and the file is still valid', async () => {
    const out = join(dir, 'capped.json');
    const r = await stampede(['run', file, '--json', '--trace', out, '--trace-max-events', '5000']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: the trace stopped at \S+ of virtual time after 5,000 events \(--trace-max-events\); narrow it with --trace-window/,
    );
    const { traceEvents, otherData } = readTrace(out);
    expect(otherData.truncatedAt).toMatch(/^\d+(m|s)/);
    // one check per record, then the open slices are closed: a little over the cap
    expect(traceEvents.length).toBeGreaterThanOrEqual(5000);
    expect(traceEvents.length).toBeLessThan(5000 + 300);
  });
});

describe('stampede run --log-level', () => {
  it('writes NDJSON stamped with virtual time to stderr, keeps stdout one JSON object, and does not change the run', async () => {
    const [logged, plain] = await Promise.all([
      stampede(['run', file, '--seed', '3', '--json', '--log-level', 'debug']),
      stampede(['run', file, '--seed', '3', '--json']),
    ]);
    expect(logged.code).toBe(0);
    expect(logged.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(hashOf(logged.stdout)).toBe(hashOf(plain.stdout));
    const lines = logged.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    const records = lines.map((l) => JSON.parse(l) as { level: number; timeMs: unknown; msg: string; actor?: string });
    for (const r of records) expect(typeof r.timeMs).toBe('number');
    // virtual time only moves forward, and no record carries a wall-clock time
    for (let i = 1; i < records.length; i++) expect(records[i]!.timeMs as number).toBeGreaterThanOrEqual(records[i - 1]!.timeMs as number);
    expect(records.some((r) => 'time' in r)).toBe(false);
    const levels = new Set(records.map((r) => r.level));
    expect([...levels].sort()).toEqual([20, 30]); // debug and info; nothing at trace level
    expect(records).toContainEqual(expect.objectContaining({ level: 20, msg: 'state', actor: 'delegate-0' }));
    expect(records).toContainEqual(
      expect.objectContaining({
        level: 30,
        timeMs: 600_000,
        actor: 'deploy-router',
        msg: 'rollout to revision 2: router upgrade: fixed connection limit',
      }),
    );
  });
});

// each refusal is a process that stops before the run: they can share the two cores
describe.concurrent('stampede run --trace and --log-level refusals', () => {
  it.each([
    [['--trace', 'out.txt'], /--trace '.*out\.txt': the name must end in \.json/],
    [['--trace', 'bad.json', '--trace-window', '12m..9m'], /--trace-window '12m\.\.9m' is empty: TO must come after FROM/],
    [['--trace', 'bad.json', '--trace-window', '20m..'], /--trace-window '20m\.\.' starts at 20m but the run lasts 15m/],
    [['--trace', 'bad.json', '--trace-window', 'soon'], /--trace-window 'soon': expected FROM\.\.TO/],
    [['--trace', 'bad.json', '--trace-window', '9x..10m'], /--trace-window '9x\.\.10m': FROM: .*expected FROM\.\.TO/],
    [['--trace', 'bad.json', '--trace-actors', 'router-*,,x'], /--trace-actors 'router-\*,,x': an empty pattern/],
    [['--trace-window', '9m..12m'], /--trace-window shapes the trace file: add --trace FILE\.json/],
    [['--trace', 'bad.json', '--trace-max-events', '0'], /--trace-max-events.*at least 1/],
  ])('refuses %j before the run, with exit code 2 and no file', async (args, message) => {
    const r = await stampede(['run', file, ...args.map((a) => (a.endsWith('.json') || a.endsWith('.txt') ? join(dir, a) : a))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an unknown level with exit code 2, naming the levels', async () => {
    const r = await stampede(['run', file, '--log-level', 'loud']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'loud' is invalid.*fatal.*error.*warn.*info.*debug.*trace.*silent/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
