import { describe, expect, it } from 'vitest';
import { runEmbed } from '../src/scenario.ts';

describe('embedding your own machines', () => {
  it('breakers stay closed while healthy, open during the overload, and close after it', () => {
    const r = runEmbed(1);
    const at = (s: number) => r.timeline.find(([t]) => t === s)!;
    expect(at(50)[1]).toBe(0); // healthy: no breaker open
    expect(Math.max(...r.timeline.filter(([t]) => t > 60 && t <= 120).map(([, open]) => open))).toBeGreaterThan(10);
    expect(at(180)[1]).toBe(0); // recovered by itself after the overload ended
    expect(at(180)[2]).toBeGreaterThan(at(120)[2]); // calls succeed again
  });

  it('is deterministic: same seed, same trace hash and timeline; another seed differs', () => {
    expect(runEmbed(3)).toEqual(runEmbed(3));
    expect(runEmbed(4).traceHash).not.toBe(runEmbed(3).traceHash);
  });
});
