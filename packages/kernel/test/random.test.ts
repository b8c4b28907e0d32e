import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/index.ts';

const draws = (n: number, f: () => number) => Array.from({ length: n }, f);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('random streams', () => {
  it('the same seed gives the same numbers; another seed others', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const xa = draws(5, () => a.next());
    expect(draws(5, () => b.next())).toEqual(xa);
    expect(draws(5, () => c.next())).not.toEqual(xa);
  });

  it("a fork's draws do not depend on draws made elsewhere (adding an actor shifts nobody)", () => {
    const quiet = createRandom(7);
    const busy = createRandom(7);
    draws(1000, () => busy.next());
    busy.fork('newcomer').next();
    expect(draws(5, () => busy.fork('delegate-17').next())).toEqual(draws(5, () => quiet.fork('delegate-17').next()));
    expect(quiet.fork('delegate-17').next()).not.toBe(quiet.fork('delegate-18').next());
  });

  it('distributions have the means they promise (seeded, so exact and repeatable)', () => {
    const r = createRandom(2026);
    const n = 20_000;
    expect(mean(draws(n, () => r.uniform(10, 20)))).toBeCloseTo(15, 0);
    expect(mean(draws(n, () => r.exponential(30)))).toBeCloseTo(30, -0.5);
    expect(mean(draws(n, () => r.normal(5, 2)))).toBeCloseTo(5, 1);
    const logs = draws(n, () => r.lognormal(30_000, 0.5)).sort((x, y) => x - y);
    expect(logs[n / 2]! / 30_000).toBeGreaterThan(0.97);
    expect(logs[n / 2]! / 30_000).toBeLessThan(1.03);
    expect(mean(draws(n, () => r.poisson(4)))).toBeCloseTo(4, 1);
    const arrivals = r.poissonArrivals(2, 1_000_000); // 2/s over 1000 s
    expect(arrivals.length).toBeGreaterThan(1900);
    expect(arrivals.length).toBeLessThan(2100);
    expect(arrivals.every((t, i) => i === 0 || t >= arrivals[i - 1]!)).toBe(true);
  });

  it('jitter stays within its bounds', () => {
    const r = createRandom(3);
    for (let attempt = 0; attempt < 20; attempt++) {
      const d = r.fullJitter(1000, 60_000, attempt);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(60_000, 1000 * 2 ** attempt));
    }
    let prev = 1000;
    for (let i = 0; i < 50; i++) {
      prev = r.decorrelatedJitter(1000, 60_000, prev);
      expect(prev).toBeGreaterThanOrEqual(1000);
      expect(prev).toBeLessThanOrEqual(60_000);
    }
  });

  it('rejects bad seeds and parameters with the argument named', () => {
    expect(() => createRandom(-1)).toThrow('createRandom: seed must be an integer >= 0, got -1');
    expect(() => createRandom(1.5)).toThrow('createRandom: seed must be an integer >= 0, got 1.5');
    expect(() => createRandom(2 ** 32)).toThrow('between 0 and 4294967295');
    expect(() => createRandom(1).exponential(-3)).toThrow('RandomStream.exponential: mean must be a finite number >= 0, got -3');
    expect(() => createRandom(1).int(5, 2)).toThrow('RandomStream.int: max must be an integer >= min (5), got 2');
    expect(() => createRandom(1).fork('')).toThrow('RandomStream.fork: name must be a non-empty string, got ""');
  });
});
