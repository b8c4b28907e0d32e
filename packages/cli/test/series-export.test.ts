import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prod4Incident } from '@stampede/model';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { prepareOutDir, seriesToCsv, seriesToJson, writeRunOutputs } from '../src/series-export.ts';
import { summaryJson } from '../src/summary-json.ts';
import { fixedSummary, fixedVerdict, series } from './fixtures.ts';

const recorded = [
  series('delegates.connected', 'gauge', [5_000, 10_000, 15_000], [0, 150, 200]),
  series('router.acquire.timeouts', 'counter', [5_000, 10_000, 15_000], [0, 3, 3]),
  series('task.latency.p99', 'histogram-p99', [5_000, 10_000, 15_000], [Number.NaN, 1.5, 2.25]),
  series('late, "odd" name', 'gauge', [10_000, 20_000], [7, 8]),
];
const connected = { timesMs: [5_000, 10_000, 15_000], values: [0, 0.75, 1] };

describe('seriesToCsv', () => {
  it('has time_s first, one column per series, rows at the union of sample times and empty cells for gaps and NaN', () => {
    expect(seriesToCsv(recorded, connected)).toBe(
      [
        'time_s,delegates.connected,router.acquire.timeouts,task.latency.p99,"late, ""odd"" name",connected.fraction',
        '5,0,0,,,0',
        '10,150,3,1.5,7,0.75',
        '15,200,3,2.25,,1',
        '20,,,,8,',
        '',
      ].join('\n'),
    );
  });

  it('without the connected fraction has only the recorded series', () => {
    expect(seriesToCsv(recorded.slice(0, 1)).split('\n')[0]).toBe('time_s,delegates.connected');
  });
});

describe('seriesToJson', () => {
  it('keeps name, kind and parallel arrays of times in seconds and values, null for NaN', () => {
    const j = seriesToJson(recorded, connected);
    expect(j.series[2]).toEqual({
      name: 'task.latency.p99',
      kind: 'histogram-p99',
      intervalMs: 5_000,
      timesSec: [5, 10, 15],
      values: [null, 1.5, 2.25],
    });
    expect(j.series.at(-1)).toMatchObject({ name: 'connected.fraction', kind: 'derived', values: [0, 0.75, 1] });
  });
});

describe('writeRunOutputs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates the directory and writes exactly series.csv, series.json and summary.json, no temp files left', async () => {
    const base = mkdtempSync(join(tmpdir(), 'stampede-out-'));
    dirs.push(base);
    const dir = join(base, 'nested', 'run');
    const summary = summaryJson('t.yaml', prod4Incident(), fixedSummary(), 'compiled', fixedVerdict());
    await writeRunOutputs(dir, { series: recorded, connected, summary });
    expect(readdirSync(dir).sort()).toEqual(['series.csv', 'series.json', 'summary.json']);
    expect(readFileSync(join(dir, 'series.csv'), 'utf8')).toBe(seriesToCsv(recorded, connected));
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toEqual(summary);
    expect(JSON.parse(readFileSync(join(dir, 'series.json'), 'utf8'))).toMatchObject({ seed: 42, name: 'fixture' });
  });

  it('refuses an --out path under a regular file with a usage error', () => {
    const base = mkdtempSync(join(tmpdir(), 'stampede-out-'));
    dirs.push(base);
    writeFileSync(join(base, 'file'), 'x');
    expect(() => prepareOutDir(join(base, 'file', 'run'))).toThrow(UsageError);
    expect(() => prepareOutDir(join(base, 'file', 'run'))).toThrow(/cannot create the --out directory .*ENOTDIR/);
  });
});
