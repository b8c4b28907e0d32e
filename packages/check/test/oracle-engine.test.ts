/**
 * The oracle's `engine` option reaches both of its simulations (the judged
 * run and the control run from a quiet start), and the verdict is the same on
 * xstate's own interpreter as on the compiled machines. The engines give the
 * same trace hash by design, so the hash alone cannot show which one ran:
 * buildPlatform is observed to see what each simulation was built with.
 */
import type { BuildOptions } from '@stampede/model';
import * as model from '@stampede/model';
import { describe, expect, it, vi } from 'vitest';
import { judge, resolveOracleOptions } from '../src/index.ts';

vi.mock('@stampede/model', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@stampede/model')>();
  return { ...actual, buildPlatform: vi.fn(actual.buildPlatform) };
});

/** The options of each buildPlatform call since the last clear, and the engine each simulation reports. */
function builds(): { options: BuildOptions | undefined; engine: string }[] {
  const spy = vi.mocked(model.buildPlatform);
  return spy.mock.calls.map((call, i) => {
    const built = spy.mock.results[i]!;
    if (built.type !== 'return') throw new Error('buildPlatform threw');
    return { options: call[2], engine: built.value.sim.engine };
  });
}

describe('oracle engine option', () => {
  it("judges on xstate's interpreter when asked: both runs, the same verdict and trace hash as compiled", () => {
    const params = model.prod4Incident({ delegates: 200 });
    vi.mocked(model.buildPlatform).mockClear();
    const reference = judge(params, 1, { engine: 'xstate' });
    expect(reference.verdict).toBe('metastable'); // so the control run happened too
    expect(reference.control).toBeDefined();
    expect(reference.engine).toBe('xstate');
    expect(builds().map((b) => [b.options?.engine, b.engine])).toEqual([
      ['xstate', 'xstate'], // the judged run
      ['xstate', 'xstate'], // the control run from a quiet start
    ]);

    vi.mocked(model.buildPlatform).mockClear();
    const compiled = judge(params, 1);
    expect(builds().map((b) => b.engine)).toEqual(['compiled', 'compiled']);
    expect(compiled.engine).toBe('compiled');
    expect({ ...compiled, engine: 'xstate' }).toEqual(reference);
  });

  it('resolves the engine: compiled by default (also when given as undefined), a clear error for anything else', () => {
    expect(resolveOracleOptions().engine).toBe('compiled');
    expect(resolveOracleOptions({ engine: undefined }).engine).toBe('compiled');
    expect(resolveOracleOptions({ engine: 'xstate' }).engine).toBe('xstate');
    expect(() => resolveOracleOptions({ engine: 'fast' as never })).toThrow(
      `oracle option engine must be 'compiled' or 'xstate', got "fast"`,
    );
  });
});
