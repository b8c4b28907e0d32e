/**
 * What the actor host logs, by level: every message at trace, every state
 * change and dropped message at debug, a restart at info, a crash at warn.
 */
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { createSimulation, type LogLevel, send } from '../src/index.ts';

const flip = setup({}).createMachine({
  initial: 'off',
  states: { off: { on: { FLIP: { target: 'on', actions: send('peer', { type: 'ACK' }) } } }, on: {} },
});
const sink = setup({}).createMachine({});

function run(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const sim = createSimulation({
    seed: 1,
    network: { minLatencyMs: 1, maxLatencyMs: 1 },
    logging: { level, destination: { write: (l: string) => lines.push(JSON.parse(l)) } },
  });
  sim.spawn(flip, { id: 'flip' });
  sim.spawn(sink, { id: 'peer' });
  sim.send('peer', 'flip', { type: 'FLIP' });
  sim.runUntil(5);
  sim.send('flip', 'gone', { type: 'LOST' });
  sim.runUntil(10);
  sim.actors.crash('flip');
  sim.actors.restart('flip');
  return { lines, hash: sim.trace.hash };
}

describe('actor host logging', () => {
  it('logs by level, stamped with virtual time, without changing the run', () => {
    const trace = run('trace');
    expect(trace.lines.map(({ level, timeMs, msg, actor }) => [level, timeMs, msg, actor])).toEqual([
      [20, 0, 'spawn', 'flip'],
      [20, 0, 'state', 'flip'],
      [20, 0, 'spawn', 'peer'],
      [20, 0, 'state', 'peer'],
      [10, 1, 'deliver', 'flip'],
      [20, 1, 'state', 'flip'],
      [10, 2, 'deliver', 'peer'],
      [20, 6, 'drop', 'flip'],
      [40, 10, 'crash', 'flip'],
      [30, 10, 'restart', 'flip'],
      [20, 10, 'state', 'flip'],
    ]);
    expect(trace.lines[5]).toMatchObject({ state: 'on', previous: 'off' });
    expect(trace.lines[7]).toMatchObject({ to: 'gone', type: 'LOST', reason: 'no-recipient' });
    const info = run('info');
    expect(info.lines.map((l) => l.msg)).toEqual(['crash', 'restart']);
    expect(info.hash).toBe(trace.hash);
    expect(run('silent').hash).toBe(trace.hash);
  });
});
