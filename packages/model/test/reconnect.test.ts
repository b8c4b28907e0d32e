/**
 * The reconnect policies' waits. Fibonacci: 1, 1, 2, 3, 5 … seconds, capped; a cap above 144 s lets the sequence go on
 * (it used to stop at 144 s whatever the cap said).
 */
import { describe, expect, it } from 'vitest';
import { fibonacciDelayMs } from '../src/actors/reconnect.ts';

describe('fibonacci reconnect waits', () => {
  it('follow 1, 1, 2, 3, 5 … seconds from the first attempt', () => {
    expect(Array.from({ length: 12 }, (_, n) => fibonacciDelayMs(n, 144_000) / 1000)).toEqual([1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144]);
  });

  it('stop at the cap, below 144 s as above it', () => {
    expect(fibonacciDelayMs(20, 60_000)).toBe(60_000);
    expect(fibonacciDelayMs(12, 600_000)).toBe(233_000); // past 144 s when the cap allows
    expect(fibonacciDelayMs(13, 600_000)).toBe(377_000);
    expect(fibonacciDelayMs(1_000_000, 600_000)).toBe(600_000); // a long outage: the cap, without a million steps
    expect(fibonacciDelayMs(0, 500)).toBe(500);
  });
});
