/** The trace window and actor patterns of `run --trace`, and the trace file's temp-then-rename. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { openTraceFile } from '../src/trace-file.ts';
import { parseActorPatterns, parseTraceWindow } from '../src/trace-options.ts';

const MIN = 60_000;

describe('parseTraceWindow', () => {
  it('reads durations as a topology writes them; an open end is the start or the end of the run', () => {
    expect(parseTraceWindow('9m..15m', 75 * MIN)).toEqual({ fromMs: 9 * MIN, toMs: 15 * MIN });
    expect(parseTraceWindow('10m..', 75 * MIN)).toEqual({ fromMs: 10 * MIN, toMs: 75 * MIN });
    expect(parseTraceWindow('..90s', 75 * MIN)).toEqual({ fromMs: 0, toMs: 90_000 });
    expect(parseTraceWindow('1h..2h', 75 * MIN)).toEqual({ fromMs: 60 * MIN, toMs: 75 * MIN }); // clipped to the run
  });

  it.each([
    ['9m', /expected FROM\.\.TO/],
    ['9m..15m..20m', /expected FROM\.\.TO/],
    ['15m..9m', /is empty/],
    ['9m..9m', /is empty/],
    ['80m..90m', /starts at 1h20m but the run lasts 1h15m/],
    ['-1m..5m', /FROM: /],
  ])('refuses %s', (text, message) => {
    expect(() => parseTraceWindow(text, 75 * MIN)).toThrow(UsageError);
    expect(() => parseTraceWindow(text, 75 * MIN)).toThrow(message);
  });
});

describe('parseActorPatterns', () => {
  const ids = [
    'delegate-1',
    'delegate-10',
    'delegate-7',
    'router-r1-0',
    'router-r2-4',
    'manager-r1-0',
    'manager-r2-6',
    'deploy-router',
    'workload',
  ];
  const kept = (text: string) => ids.filter(parseActorPatterns(text).matches);

  it('a glob matches the whole id', () => {
    expect(kept('router-*')).toEqual(['router-r1-0', 'router-r2-4']);
    expect(kept('delegate-1?')).toEqual(['delegate-10']);
    expect(kept('*-r2-*')).toEqual(['router-r2-4', 'manager-r2-6']);
  });

  it('a plain pattern is an id or a dash-separated prefix of ids, never a prefix inside a number', () => {
    expect(kept('delegate-1')).toEqual(['delegate-1']);
    expect(kept('manager-r2')).toEqual(['manager-r2-6']);
    expect(kept('router')).toEqual(['router-r1-0', 'router-r2-4']);
    expect(kept('deploy-router,workload')).toEqual(['deploy-router', 'workload']);
  });

  it('dots are literal', () => {
    expect(parseActorPatterns('a.b').matches('axb')).toBe(false);
  });

  it.each([['router-*,'], ['a b'], ['router/0']])('refuses %j', (text) => {
    expect(() => parseActorPatterns(text)).toThrow(/--trace-actors .*expected comma-separated ids, prefixes or globs/);
  });
});

describe('openTraceFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-trace-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams to a temporary file and renames it into place on commit', () => {
    const path = join(dir, 'nested/t.json');
    const file = openTraceFile(path);
    expect(existsSync(path)).toBe(false);
    file.write({ name: 'a', ph: 'X', ts: 0, dur: 5, pid: 1, tid: 1 });
    file.write({ name: 'b', ph: 'i', s: 't', ts: 5, pid: 1, tid: 1 });
    const bytes = file.commit({ seed: '1' });
    const text = readFileSync(path, 'utf8');
    expect(bytes).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text)).toEqual({
      traceEvents: [
        { name: 'a', ph: 'X', ts: 0, dur: 5, pid: 1, tid: 1 },
        { name: 'b', ph: 'i', s: 't', ts: 5, pid: 1, tid: 1 },
      ],
      displayTimeUnit: 'ms',
      otherData: { seed: '1' },
    });
    expect(readdirSync(join(dir, 'nested'))).toEqual(['t.json']);
    file.abort(); // after a commit: nothing to undo
    expect(existsSync(path)).toBe(true);
  });

  it('abort leaves nothing behind', () => {
    const file = openTraceFile(join(dir, 'failed.json'));
    file.write({ name: 'a', ph: 'X', ts: 0, dur: 5, pid: 1, tid: 1 });
    file.abort();
    expect(readdirSync(dir).filter((n) => n.includes('failed'))).toEqual([]);
  });

  it('refuses a name without .json and a directory', () => {
    expect(() => openTraceFile(join(dir, 'trace.txt'))).toThrow(/must end in \.json/);
    expect(() => openTraceFile(join(dir, 'nested'))).toThrow(/must end in \.json/);
  });
});
