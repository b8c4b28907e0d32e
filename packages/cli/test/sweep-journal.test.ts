/**
 * The journal of an interrupted sweep (sweep-journal.ts), without running a sweep: what survives a line cut short,
 * a process that died after the header, resuming twice, and a damaged header.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepCell, SweepDefinition } from '@stampede/check';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.ts';
import { journalPath, openJournal } from '../src/sweep-journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const definition: SweepDefinition = {
  topology: { name: 'tiny', file: 'tiny.yaml' },
  seed: 1,
  fingerprint: `sha256:${'0'.repeat(64)}`,
  axes: [{ path: 'delegates.reconnect.delay', kind: 'duration', values: [1000, 2000, 3000], labels: ['1s', '2s', '3s'], own: null }],
};
const cell = (index: number): SweepCell => ({
  index,
  coords: [index],
  verdict: 'recovered',
  timeToRecoverSec: 10,
  storm: false,
  timeToRecoverFromStormSec: null,
  dominantLoop: 'none',
  traceHash: `h${index}`,
  evidence: 'ok',
  minConnectedFraction: 0.95,
  peakPendingAcquires: 0,
  routersAdded: 0,
});
const ALL = [0, 1, 2];
const header = JSON.stringify({ format: 'stampede-sweep-partial', version: 1, sweep: definition, shard: null });
const outDir = (name: string) => {
  const d = join(dir, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};

describe('the journal of an interrupted sweep', () => {
  it('drops a line cut short, and the next cell starts on a line of its own: a second resume reads every cell', () => {
    const out = outDir('cut');
    writeFileSync(journalPath(out, undefined), `${header}\n${JSON.stringify(cell(0))}\n{"index":1,"coo`);
    const first = openJournal(out, definition, undefined, ALL, false);
    expect(first.resumed.map((c) => c.index)).toEqual([0]);
    first.add(cell(1)); // interrupted again after this cell
    const second = openJournal(out, definition, undefined, ALL, false);
    expect(second.resumed.map((c) => c.index)).toEqual([0, 1]);
    expect(
      readFileSync(journalPath(out, undefined), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ).toHaveLength(3);
  });

  it('a process that died after the header: no second header, and the cells after it read back', () => {
    const out = outDir('header-only');
    writeFileSync(journalPath(out, undefined), `${header}\n`);
    const j = openJournal(out, definition, undefined, ALL, false);
    expect(j.resumed).toEqual([]);
    j.add(cell(2));
    const text = readFileSync(journalPath(out, undefined), 'utf8');
    expect(text.split('\n').filter((l) => l.includes('stampede-sweep-partial'))).toHaveLength(1);
    expect(openJournal(out, definition, undefined, ALL, false).resumed.map((c) => c.index)).toEqual([2]);
  });

  it('a new journal writes its header with the first cell, in one write', () => {
    const out = outDir('new');
    const j = openJournal(out, definition, undefined, ALL, false);
    j.add(cell(0));
    expect(readFileSync(journalPath(out, undefined), 'utf8')).toBe(`${header}\n${JSON.stringify(cell(0))}\n`);
  });

  it('a damaged header (no axes) is a usage error naming the file, not a crash', () => {
    const out = outDir('damaged');
    writeFileSync(
      journalPath(out, undefined),
      `${JSON.stringify({ format: 'stampede-sweep-partial', version: 1, sweep: { seed: 1, fingerprint: 'sha256:x' }, shard: null })}\n`,
    );
    expect(() => openJournal(out, definition, undefined, ALL, false)).toThrow(UsageError);
    expect(() => openJournal(out, definition, undefined, ALL, false)).toThrow(/its header is damaged; rerun with --restart/);
    // --restart discards it
    expect(openJournal(out, definition, undefined, ALL, true).resumed).toEqual([]);
  });
});
