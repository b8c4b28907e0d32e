/**
 * manager.serviceTimes.distribution and .spread: what they resolve to, and the errors of a spread that has nothing to
 * shape (fixed, exponential), of a spread out of range and of a misspelt distribution.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/index.ts';
import { loadTopologyText, parseTopology, TopologyError } from '../../src/topology/index.ts';

function issues(text: string): { path: string; message: string }[] {
  try {
    loadTopologyText(text, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(TopologyError);
    return (err as TopologyError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected a TopologyError, got none');
}

describe('manager.serviceTimes.distribution', () => {
  it('is fixed by default, with a spread of 0.5 kept for lognormal', () => {
    expect(DEFAULTS.manager.serviceTimeDistribution).toBe('fixed');
    expect(DEFAULTS.manager.serviceTimeSpread).toBe(0.5);
  });

  it('resolves beside the service times it shapes', () => {
    const p = loadTopologyText('manager:\n  serviceTimes:\n    rest: 40ms\n    distribution: lognormal\n    spread: 0.8\n', 'test.yaml');
    expect(p.manager).toMatchObject({ restServiceMs: 40, serviceTimeDistribution: 'lognormal', serviceTimeSpread: 0.8 });
    expect(parseTopology({ manager: { serviceTimes: { distribution: 'exponential' } } }).manager.serviceTimeDistribution).toBe(
      'exponential',
    );
    expect(parseTopology({ manager: { serviceTimes: { distribution: 'lognormal' } } }).manager.serviceTimeSpread).toBe(0.5);
  });

  it('a spread on fixed (written or the default) or exponential is an error naming the field', () => {
    expect(issues('manager: { serviceTimes: { spread: 0.5 } }')).toEqual([
      {
        path: 'manager.serviceTimes.spread',
        message:
          'expected no spread with distribution fixed, the default (spread is the σ of a lognormal: write distribution: lognormal, or leave spread out), got 0.5',
      },
    ]);
    expect(issues('manager: { serviceTimes: { distribution: exponential, spread: 0.3 } }')).toEqual([
      {
        path: 'manager.serviceTimes.spread',
        message:
          'expected no spread with distribution exponential (spread is the σ of a lognormal: write distribution: lognormal, or leave spread out), got 0.3',
      },
    ]);
  });

  it('checks the range of the spread and the name of the distribution, one problem per bad value', () => {
    expect(issues('manager: { serviceTimes: { distribution: lognormal, spread: 4 } }')).toEqual([
      {
        path: 'manager.serviceTimes.spread',
        message: 'expected a number from 0 to 3 (the spread of the lognormal service time; above 3 a draw is beyond any run), got 4',
      },
    ]);
    expect(issues('manager: { serviceTimes: { distribution: lognormal, spread: -0.1 } }')[0]?.path).toBe('manager.serviceTimes.spread');
    // a misspelt distribution is its own problem; the spread beside it is not reported again
    expect(issues('manager: { serviceTimes: { distribution: lognorml, spread: 0.5 } }')).toEqual([
      {
        path: 'manager.serviceTimes.distribution',
        message: 'expected one of "fixed", "exponential" or "lognormal", got "lognorml" (did you mean "lognormal"?)',
      },
    ]);
    // a bad spread on exponential: the range problem alone
    expect(issues('manager: { serviceTimes: { distribution: exponential, spread: 9 } }')).toHaveLength(1);
  });
});
