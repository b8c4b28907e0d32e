/**
 * The oracle with an incident responder's actions in the timeline (scale, reconfigure, restart, pause/resume, admit):
 * each is judged as part of the scenario, like a rollout (the recovery is not before it), and the trigger window
 * ends sensibly: a restart is a rollout to wait for, an `admit` with a duration a fault window, a rollout held by a
 * pause never resumed no reason to wait 30 minutes, and the control run starts from what the actions left behind.
 * At 200 delegates (the Prod4 incident: 4 routers with a fixed pool of 69, 3 managers).
 */
import { buildPlatform, type PlatformParams, parseTopology, prod4Incident, type TopologyInput } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import { judge } from '../src/index.ts';

const MIN = 60_000;

/** The incident's rollouts at 10 min (no manual rollback), then `extra`, as a topology file writes them. */
function incident(extra: NonNullable<TopologyInput['timeline']>): PlatformParams {
  const p = prod4Incident({ delegates: 200 });
  p.timeline = parseTopology({
    timeline: [{ at: '10m', rollout: 'router', pool: { mode: 'fixed', maxConnections: 69 } }, { at: '10m', rollout: 'manager' }, ...extra],
  }).timeline;
  return p;
}

/** When the run's rollouts completed, from the controllers' log. */
function completions(p: PlatformParams, untilMs: number): number[] {
  const platform = buildPlatform(p, 1);
  platform.sim.runUntil(untilMs);
  return platform.state.rolloutsCompletedAtMs;
}

describe('the trigger window with responder actions', () => {
  it('a restart is a rollout: the window ends when its new pods are all available', () => {
    const p = incident([{ at: '20m', restart: 'router' }]);
    const v = judge(p, 1);
    const done = completions(p, 30 * MIN);
    expect(done).toHaveLength(3); // the two rollouts, then the restart
    expect(done[2]).toBeGreaterThan(20 * MIN);
    expect(v.triggerEndMs).toBe(done[2]);
  });

  it('a rollout held by a pause never resumed does not keep the window open for 30 minutes', () => {
    const p = incident([{ at: '10m10s', pause: 'manager' }]);
    const v = judge(p, 1);
    const [routerDone] = completions(p, 30 * MIN);
    // the router's rollout completes; the manager's is held for good: the window closes with the router's
    expect(v.triggerEndMs).toBe(routerDone);
    expect(v.triggerEndMs).toBeLessThan(12 * MIN);
  });

  it('a rollout paused and resumed: the window ends when it has finished after the resume', () => {
    const p = incident([
      { at: '10m10s', pause: 'manager' },
      { at: '16m', resume: 'manager' },
    ]);
    const v = judge(p, 1);
    const done = completions(p, 30 * MIN);
    expect(done.at(-1)).toBeGreaterThan(16 * MIN);
    expect(v.triggerEndMs).toBe(done.at(-1));
  });

  it('an admit with a duration is a fault window; one left in force ends when it happens', () => {
    const windowed = judge(incident([{ at: '15m', admit: { reconnectsPerSecond: 20 }, duration: '10m' }]), 1);
    expect(windowed.triggerEndMs).toBe(25 * MIN);
    const leftInForce = judge(incident([{ at: '15m', admit: { reconnectsPerSecond: 20 } }]), 1);
    expect(leftInForce.triggerEndMs).toBe(15 * MIN);
  });

  it('a scale, a reconfigure, a pause and a resume end when they happen, and the recovery is not before the last of them', () => {
    const v = judge(
      incident([
        { at: '12m', reconfigure: 'router', pool: { maxConnections: 138 } },
        { at: '14m', scale: 'manager', replicas: 4 },
        { at: '15m', pause: 'router' },
        { at: '16m', resume: 'router' },
      ]),
      1,
    );
    expect(v.triggerEndMs).toBe(16 * MIN);
    if (v.recoveredAtMs !== undefined) expect(v.recoveredAtMs).toBeGreaterThanOrEqual(16 * MIN);
  });
});
