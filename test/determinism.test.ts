/**
 * Determinism contract (docs/design.md, "Determinism"): same seed, same trace hash, in any process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGossip } from './fixtures/gossip.ts';

const fixture = fileURLToPath(new URL('./fixtures/gossip.ts', import.meta.url));
const inChildProcess = (seed: number) =>
  execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', fixture, String(seed)], { encoding: 'utf8' }).trim();

describe('determinism', () => {
  it('the same seed gives the same trace hash in two separate processes', () => {
    const first = inChildProcess(7);
    const second = inChildProcess(7);
    expect(first).toBe(second);
    const [, hash, events] = first.split(' ');
    expect(Number(events)).toBeGreaterThan(1000);
    // and in this process, after other work has run (xstate's global id counter has moved on)
    runGossip(99);
    expect(runGossip(7)).toEqual({ hash, events: Number(events) });
  });

  it('different seeds give different hashes', () => {
    const hashes = new Set([1, 2, 3, 4, 5].map((s) => runGossip(s, 20, 20_000).hash));
    expect(hashes.size).toBe(5);
  });

  it('pins the trace hash of a small seeded case (changes to event order must be deliberate)', () => {
    expect(runGossip(2026, 10, 10_000)).toEqual(PINNED);
  });
});

// Update deliberately, with a note in the commit, when the kernel's ordering changes.
const PINNED = { hash: 'a1f3b43211f3b30a', events: 288 };
