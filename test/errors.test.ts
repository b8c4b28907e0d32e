/**
 * The errors users may catch share one base class per kind across the packages: `StampedeInputError` for input that
 * cannot be used (an argument, a topology, an option, a sweep), `StampedeRunError` for a run that went wrong, both
 * `StampedeError`; a failed property is a `StampedeError` too. So one `instanceof` catches a kind from any package.
 */
import { faultSchedule, judge, parseVary, resolveOracleOptions, SelfSustainingLoopError, SweepError } from '@stampede/check';
import { createSimulation, KernelInputError, LivelockError, StampedeError, StampedeInputError, StampedeRunError } from '@stampede/kernel';
import { createHpaState, DEFAULTS, hpaReconcile, parseDuration, parseTopology, resolveRollingUpdate, TopologyError } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
}

describe('one base class per kind of error, in every package', () => {
  it.each([
    ['kernel: a bad argument', () => createSimulation({ seed: -1 }), KernelInputError],
    ['model: a topology', () => parseTopology({ delegates: { count: 0 } }), TopologyError],
    ['model: a duration', () => parseDuration('fifteen'), StampedeInputError],
    ['model: a rolling update', () => resolveRollingUpdate(4, { maxSurge: 'lots' as never, maxUnavailable: 0 }), StampedeInputError],
    [
      'model: an HPA input',
      () => hpaReconcile(createHpaState(), { minReplicas: 0, maxReplicas: 1, targetValue: 0.5 }, {} as never),
      StampedeInputError,
    ],
    ['check: an oracle option', () => resolveOracleOptions({ connectedThreshold: 2 }), StampedeInputError],
    ['check: a fault schedule', () => faultSchedule(parseTopology({}), { windowMs: 5 }), StampedeInputError],
    ['check: a topology without a trigger', () => judge(parseTopology({}), 1), StampedeInputError],
    ['check: a sweep range', () => parseVary('router.replicas'), SweepError],
  ])('%s is a StampedeInputError', (_, fn, kind) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(kind);
    expect(err).toBeInstanceOf(StampedeInputError);
    expect(err).toBeInstanceOf(StampedeError);
    expect(err).not.toBeInstanceOf(StampedeRunError);
  });

  it('a livelock is a StampedeRunError', () => {
    const loop = setup({}).createMachine({ initial: 'a', states: { a: { after: { 0: { target: 'a', reenter: true } } } } });
    const sim = createSimulation({ seed: 1, maxEventsPerInstant: 100 });
    sim.spawn(loop, { id: 'loop' });
    const err = thrown(() => sim.runFor(10));
    expect(err).toBeInstanceOf(LivelockError);
    expect(err).toBeInstanceOf(StampedeRunError);
    expect(err).not.toBeInstanceOf(StampedeInputError);
  });

  it('a failed property is a StampedeError of its own kind', () => {
    expect(SelfSustainingLoopError.prototype).toBeInstanceOf(StampedeError);
    expect(SelfSustainingLoopError.prototype).not.toBeInstanceOf(StampedeInputError);
  });

  it('the defaults cannot be changed by accident: they are frozen, all the way down', () => {
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(Object.isFrozen(DEFAULTS.router.pool)).toBe(true);
    expect(() => {
      (DEFAULTS.router.pool as { maxConnections: number }).maxConnections = 1;
    }).toThrow(TypeError);
  });
});
