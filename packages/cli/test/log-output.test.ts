/** `run --log-level`: NDJSON as pino writes it, or pino-pretty lines led by the virtual time. */
import { createSimulation } from '@stampede/kernel';
import { describe, expect, it } from 'vitest';
import { formatVirtualTime, logOutput } from '../src/log-output.ts';

function capture(prettyPrint: boolean) {
  const lines: string[] = [];
  const logging = logOutput('info', { write: (t: string) => lines.push(t) }, prettyPrint, false);
  const sim = createSimulation({ seed: 1, ...(logging ? { logging } : {}) });
  sim.queue.schedule(754_321, () => sim.logger.info({ actor: 'deploy-router', pod: 'router-r2-4' }, 'create pod router-r2-4'));
  sim.queue.schedule(754_400, () => sim.logger.debug('not at info'));
  sim.runUntil(800_000);
  return lines;
}

describe('logOutput', () => {
  it('is nothing at the silent level', () => {
    expect(logOutput('silent', { write: () => {} })).toBeUndefined();
  });

  it('writes NDJSON with the virtual time in timeMs and no wall-clock time', () => {
    expect(capture(false).map((l) => JSON.parse(l))).toEqual([
      { level: 30, timeMs: 754_321, actor: 'deploy-router', pod: 'router-r2-4', msg: 'create pod router-r2-4' },
    ]);
  });

  it('pretty-prints one line per record, led by the virtual time and the actor', () => {
    expect(capture(true)).toEqual(['[12:34.321] INFO: deploy-router: create pod router-r2-4 {"pod":"router-r2-4"}\n']);
  });

  it('formats virtual time as minutes that keep counting past the hour', () => {
    expect(formatVirtualTime(0)).toBe('00:00.000');
    expect(formatVirtualTime(4_500_000.4)).toBe('75:00.000');
    expect(formatVirtualTime(61_001)).toBe('01:01.001');
  });
});
