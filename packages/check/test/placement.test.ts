/**
 * The oracle's placement evidence (packages/check/src/placement.ts): which ready router had no free
 * slot, for how many samples, and what the others had free meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { placementOf, type RouterSlots } from '../src/placement.ts';

const at = (...routers: [string, number, number][]): RouterSlots[] =>
  routers.map(([router, free, capacity]) => ({ router, free, capacity }));

describe('placement evidence', () => {
  it('names the router full at the most samples, and averages the others over those samples only', () => {
    const p = placementOf([
      at(['a', 0, 10], ['b', 4, 10], ['c', 6, 10]),
      at(['a', 0, 10], ['b', 2, 10], ['c', 0, 10]),
      at(['a', 1, 10], ['b', 9, 10], ['c', 9, 10]),
    ]);
    expect(p).toEqual({ fullRouter: 'a', fullSamples: 2, samples: 3, freeElsewhere: 6, capacityElsewhere: 20, routersElsewhere: 2 });
  });

  it('no full router: nothing named, nothing elsewhere', () => {
    expect(placementOf([at(['a', 1, 10], ['b', 3, 10])])).toEqual({
      fullRouter: undefined,
      fullSamples: 0,
      samples: 1,
      freeElsewhere: 0,
      capacityElsewhere: 0,
      routersElsewhere: 0,
    });
    expect(placementOf([]).samples).toBe(0);
  });

  it('a tie goes to the router created first (the order the samples list them in), whatever the counts after it', () => {
    const p = placementOf([at(['a', 0, 5], ['b', 0, 5]), at(['a', 0, 5], ['b', 0, 5])]);
    expect(p.fullRouter).toBe('a');
    expect(p.freeElsewhere).toBe(0);
    expect(p.capacityElsewhere).toBe(5);
  });

  it('a router that joins later counts only at the samples it was ready in', () => {
    const p = placementOf([at(['a', 0, 10]), at(['a', 0, 10], ['b', 8, 10])]);
    expect(p.fullRouter).toBe('a');
    expect(p.freeElsewhere).toBe(4);
    expect(p.routersElsewhere).toBe(0.5); // a mean over the samples it was full at: none, then one
  });
});
