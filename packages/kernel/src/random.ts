/**
 * Seeded, forkable, named random streams.
 *
 * Every random draw in a simulation comes from a stream derived from the run's
 * seed and a name path ("delegate-17", "network"). A fork's seed depends only
 * on its parent's seed and its name, never on how many draws the parent made,
 * so adding an actor or a draw elsewhere does not shift anybody else's
 * numbers. The generator is pure-rand's xoroshiro128+, used in place
 * (`next()` mutates) because allocating a generator per draw is too slow for
 * the hot path.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { checkId, checkInteger, checkNonNegative, checkPositive, KernelInputError } from './errors.ts';
import { forkBlank } from './fork-graph.ts';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** 32-bit FNV-1a of a string, the building block of stream seeds and trace ids. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32) so that similar names give unrelated seeds
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class RandomStream {
  private readonly gen: Generator;
  /** The 32-bit seed this stream was created from (its name path hashed with the run seed). */
  readonly seed: number;

  /** Use `createRandom(seed)` or `stream.fork(name)`. */
  constructor(
    seed: number,
    readonly name: string,
  ) {
    this.seed = seed >>> 0;
    this.gen = xoroshiro128plus(this.seed);
  }

  /** An independent stream for `name`; the same name always gives the same stream. */
  fork(name: string): RandomStream {
    checkId('RandomStream.fork', 'name', name);
    return new RandomStream(hashString(name, this.seed ^ 0x9e3779b9), `${this.name}/${name}`);
  }

  /** Uniform in [0, 1), 53 bits. */
  next(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    if (!(max >= min) || !Number.isFinite(min) || !Number.isFinite(max)) {
      throw new KernelInputError('RandomStream.uniform', 'max', max, `a finite number >= min (${min})`);
    }
    return min + (max - min) * uniformFloat64(this.gen);
  }

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    checkInteger('RandomStream.int', 'min', min, Number.MIN_SAFE_INTEGER);
    if (!Number.isInteger(max) || max < min) {
      throw new KernelInputError('RandomStream.int', 'max', max, `an integer >= min (${min})`);
    }
    return min + Math.floor((max - min + 1) * uniformFloat64(this.gen));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return uniformFloat64(this.gen) < p;
  }

  /** Exponential with the given mean (inter-arrival time of a Poisson process). */
  exponential(mean: number): number {
    checkNonNegative('RandomStream.exponential', 'mean', mean);
    // 1 - u is in (0, 1], so the log is finite
    return -mean * Math.log(1 - uniformFloat64(this.gen));
  }

  /** Normal (Box-Muller; no cached spare, so a draw's value never depends on the previous call). */
  normal(mean: number, stdDev: number): number {
    checkNonNegative('RandomStream.normal', 'stdDev', stdDev);
    const u1 = 1 - uniformFloat64(this.gen);
    const u2 = uniformFloat64(this.gen);
    return mean + stdDev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Lognormal given its median and the standard deviation of its log (sigma). */
  lognormal(median: number, sigma: number): number {
    checkPositive('RandomStream.lognormal', 'median', median);
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Number of Poisson events with the given mean (Knuth for small means, normal approximation above 50). */
  poisson(mean: number): number {
    checkNonNegative('RandomStream.poisson', 'mean', mean);
    if (mean > 50) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = uniformFloat64(this.gen);
    while (p > limit) {
      k++;
      p *= uniformFloat64(this.gen);
    }
    return k;
  }

  /** Times (ms from 0) of a Poisson process with `ratePerSec` events per second, up to `horizonMs`. */
  poissonArrivals(ratePerSec: number, horizonMs: number): number[] {
    checkNonNegative('RandomStream.poissonArrivals', 'ratePerSec', ratePerSec);
    checkNonNegative('RandomStream.poissonArrivals', 'horizonMs', horizonMs);
    const out: number[] = [];
    if (ratePerSec === 0) return out;
    const meanGapMs = 1000 / ratePerSec;
    for (let t = this.exponential(meanGapMs); t < horizonMs; t += this.exponential(meanGapMs)) out.push(t);
    return out;
  }

  /** "Full jitter" backoff (AWS): uniform in [0, min(capMs, baseMs * 2^attempt)). */
  fullJitter(baseMs: number, capMs: number, attempt: number): number {
    checkNonNegative('RandomStream.fullJitter', 'baseMs', baseMs);
    checkNonNegative('RandomStream.fullJitter', 'capMs', capMs);
    checkInteger('RandomStream.fullJitter', 'attempt', attempt, 0);
    return uniformFloat64(this.gen) * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 52));
  }

  /** "Decorrelated jitter" backoff (AWS): min(capMs, uniform(baseMs, previousMs * 3)). */
  decorrelatedJitter(baseMs: number, capMs: number, previousMs: number): number {
    checkNonNegative('RandomStream.decorrelatedJitter', 'baseMs', baseMs);
    checkNonNegative('RandomStream.decorrelatedJitter', 'capMs', capMs);
    checkNonNegative('RandomStream.decorrelatedJitter', 'previousMs', previousMs);
    const hi = Math.max(baseMs, previousMs * 3);
    return Math.min(capMs, baseMs + (hi - baseMs) * uniformFloat64(this.gen));
  }
}

// a fork copies streams mid-sequence (the generator's four words): into instances the constructors made
forkBlank(RandomStream, () => new RandomStream(0, ''));
forkBlank((xoroshiro128plus(0) as object).constructor as new () => unknown, () => xoroshiro128plus(0));

/** The root stream of a run. The seed must be a 32-bit unsigned integer. */
export function createRandom(seed: number): RandomStream {
  checkInteger('createRandom', 'seed', seed, 0);
  if (seed > 0xffffffff) throw new KernelInputError('createRandom', 'seed', seed, 'an integer between 0 and 4294967295');
  return new RandomStream(hashString(`stampede:${seed}`), 'root');
}
