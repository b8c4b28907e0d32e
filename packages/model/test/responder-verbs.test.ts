/**
 * The verbs an incident responder uses, as timeline events, each on a small platform (the Prod4 incident at 200
 * delegates: 4 routers with a fixed pool of 69, 3 managers) and each asserting the effect it must have:
 *
 * - scale: `kubectl scale` sets spec.replicas; the autoscaler starts its next sync from it (back inside its limits,
 *   or undone when its recommendation is lower, unless minReplicas is raised too); `kubectl patch hpa` limits apply
 *   at its next sync; a deployment scaled to 0 is left alone;
 * - reconfigure: the running pods' pools take the settings at once (waiting acquires served when the limit rises),
 *   and pods started later start with them;
 * - restart: every pod replaced by a new revision of the same template;
 * - pause / resume: a rollout held (pods already starting finish), then finished; a later rollout waits for the
 *   resume; scaling while paused goes to every revision in proportion;
 * - admit: WebSocket opens through the edge capped by the token bucket, the others shed; REST untouched.
 *
 * And determinism: every verb in one timeline gives the same trace hash on both engines and twice on one.
 */
import type { Envelope } from '@stampede/kernel';
import { describe, expect, it } from 'vitest';
import type { PlatformParams, TimelineEvent } from '../src/params.ts';
import { buildPlatform, MANAGER_CONTROLLER, type Platform, ROUTER_CONTROLLER } from '../src/platform.ts';
import { runPlatform } from '../src/run.ts';
import { prod4Incident } from '../src/scenarios.ts';
import { settledConfiguration } from '../src/timeline-effects.ts';
import { parseTopology, type TopologyInput } from '../src/topology/index.ts';

const MIN = 60_000;
const SEC = 1_000;

/** The incident at 200 delegates with `timeline` (as a topology file writes it) instead of its own. */
function incident(timeline: NonNullable<TopologyInput['timeline']>, tweak: (p: PlatformParams) => void = () => {}): PlatformParams {
  const p = prod4Incident({ delegates: 200 });
  p.timeline = parseTopology({ timeline }).timeline;
  p.durationMs = 40 * MIN;
  tweak(p);
  return p;
}

/** The incident's own rollouts (router to its fixed pool, manager), without the manual rollback, then `extra`. */
function storm(extra: NonNullable<TopologyInput['timeline']>, tweak?: (p: PlatformParams) => void): PlatformParams {
  return incident(
    [{ at: '10m', rollout: 'router', pool: { mode: 'fixed', maxConnections: 69 } }, { at: '10m', rollout: 'manager' }, ...extra],
    tweak,
  );
}

const start = (p: PlatformParams, seed = 1) => buildPlatform(p, seed);

/** The controller's log lines (text only) that match `pattern`, with their times. */
function logged(platform: Platform, controller: string, pattern: RegExp): [number, string][] {
  return platform
    .log()
    .filter(([, line]) => line.startsWith(`${controller}: `))
    .map(([t, line]): [number, string] => [t, line.slice(controller.length + 2)])
    .filter(([, text]) => pattern.test(text));
}

/** Pods of a deployment that are not terminating, by revision: { 1: 3, 2: 1 }. */
function podsByRevision(platform: Platform, controller: string): Record<number, number> {
  const ctx = platform.sim.actors.get(controller).getSnapshot().context as { pods: Map<string, { rev: number; terminating: boolean }> };
  const out: Record<number, number> = {};
  for (const pod of ctx.pods.values()) if (!pod.terminating) out[pod.rev] = (out[pod.rev] ?? 0) + 1;
  return out;
}

describe('scale', () => {
  it('a manager scale sets its replicas (no autoscaler there): 3 → 5 pods, all ready a minute later', () => {
    const platform = start(incident([{ at: '20m', scale: 'manager', replicas: 5 }]));
    platform.sim.runUntil(20 * MIN - SEC);
    expect(platform.state.readyManagers).toHaveLength(3);
    platform.sim.runUntil(22 * MIN);
    expect(platform.state.readyManagers).toHaveLength(5);
    expect(platform.state.specReplicas.manager).toBe(5);
    expect(logged(platform, MANAGER_CONTROLLER, /^scale 3 → 5/)).toEqual([[20 * MIN, 'scale 3 → 5: scale manager to 5 pods']]);
  });

  it('a router scale above the autoscaler’s limits (4 and 4) is brought back at its next sync, as the HPA does', () => {
    const platform = start(incident([{ at: '20m', scale: 'router', replicas: 8 }]));
    platform.sim.runUntil(25 * MIN);
    const scales = logged(platform, ROUTER_CONTROLLER, /^scale /);
    expect(scales.map(([, line]) => line)).toEqual(['scale 4 → 8: scale router to 8 pods', 'scale 8 → 4']);
    expect(scales[0]![0]).toBe(20 * MIN);
    expect(scales[1]![0] - 20 * MIN).toBeLessThanOrEqual(15 * SEC); // within one sync period
    expect(platform.state.readyRouters).toHaveLength(4);
    expect(platform.state.specReplicas.router).toBe(4);
  });

  it('with maxReplicas raised too, a scale above what the metric recommends is still undone (its window holds its own recommendations)', () => {
    const platform = start(incident([{ at: '20m', scale: 'router', replicas: 8, maxReplicas: 8 }]));
    platform.sim.runUntil(25 * MIN);
    expect(logged(platform, ROUTER_CONTROLLER, /^scale /).map(([, line]) => line)).toEqual([
      'scale 4 → 8: scale router to 8 pods, maxReplicas 8',
      'scale 8 → 4',
    ]);
  });

  it('with minReplicas raised with it, the scale holds: 8 routers ready and kept', () => {
    const platform = start(incident([{ at: '20m', scale: 'router', replicas: 8, minReplicas: 8, maxReplicas: 8 }]));
    platform.sim.runUntil(35 * MIN);
    expect(platform.state.readyRouters).toHaveLength(8);
    expect(logged(platform, ROUTER_CONTROLLER, /^scale /)).toHaveLength(1);
    expect(platform.state.signals.routerReplicas.value).toBe(8);
  });

  it('new autoscaler limits alone (kubectl patch hpa) apply at its next sync: minReplicas 6 brings 2 routers', () => {
    // the autoscaler syncs every 15 s from time 0: at 20:00 and 20:15, so a patch at 20:05 waits for 20:15
    const platform = start(incident([{ at: '20m5s', scale: 'router', minReplicas: 6, maxReplicas: 8 }]));
    platform.sim.runUntil(20 * MIN + 14 * SEC);
    expect(platform.state.autoscalerLimits).toEqual({ minReplicas: 6, maxReplicas: 8 });
    expect(platform.state.specReplicas.router).toBe(4); // nothing at the patch itself
    platform.sim.runUntil(22 * MIN);
    expect(logged(platform, ROUTER_CONTROLLER, /^scale /)).toEqual([[20 * MIN + 15 * SEC, 'scale 4 → 6']]);
    expect(platform.state.readyRouters).toHaveLength(6);
  });

  it('a router scaled to 0 by hand is left at 0 by the autoscaler (Kubernetes: scaling disabled)', () => {
    const platform = start(incident([{ at: '20m', scale: 'router', replicas: 0 }]));
    platform.sim.runUntil(25 * MIN);
    expect(platform.state.readyRouters).toHaveLength(0);
    expect(platform.state.specReplicas.router).toBe(0);
    expect(platform.connectedFraction()).toBe(0);
  });

  it('in the middle of a rollout the new count applies to the rollout: it completes with 8 new pods', () => {
    const platform = start(storm([{ at: '10m5s', scale: 'router', replicas: 8, minReplicas: 8, maxReplicas: 8 }]));
    platform.sim.runUntil(20 * MIN);
    expect(logged(platform, ROUTER_CONTROLLER, /complete/).map(([, line]) => line)).toEqual([
      'rollout to revision 2 complete: 8 pods available',
    ]);
    expect(podsByRevision(platform, ROUTER_CONTROLLER)).toEqual({ 2: 8 });
  });
});

describe('reconfigure', () => {
  it('the running pods take the new limit at once: waiting acquires are served, capacity grows, no pod is replaced', () => {
    const platform = start(storm([{ at: '15m', reconfigure: 'router', pool: { maxConnections: 138, pendingAcquireTimeout: '2m' } }]));
    const pools = () => [...platform.state.routerPools.values()];
    platform.sim.runUntil(15 * MIN - 1);
    const routers = [...platform.state.readyRouters];
    expect(pools().every((p) => p.params.maxConnections === 69)).toBe(true);
    const waiting = pools().reduce((n, p) => n + p.pendingCount, 0);
    expect(waiting).toBeGreaterThan(0); // the storm: acquires wait at full pools
    expect(platform.state.signals.slotCapacity.value).toBe(4 * 69);
    platform.sim.runUntil(15 * MIN + 10);
    expect(platform.state.readyRouters).toEqual(routers); // the same pods
    expect(pools().map((p) => p.params.maxConnections)).toEqual([138, 138, 138, 138]);
    expect(pools().every((p) => p.params.pendingAcquireTimeoutMs === 120 * SEC)).toBe(true);
    expect(platform.state.signals.slotCapacity.value).toBe(4 * 138);
    expect(pools().reduce((n, p) => n + p.pendingCount, 0)).toBeLessThan(waiting); // served at once
    expect(logged(platform, ROUTER_CONTROLLER, /rollout to revision 3/)).toEqual([]);
  });

  it('pods started later get the new settings too: a restart after it brings pools of the reloaded size', () => {
    const platform = start(
      storm([
        { at: '15m', reconfigure: 'router', pool: { maxConnections: 138 } },
        { at: '20m', restart: 'router' },
      ]),
    );
    platform.sim.runUntil(25 * MIN);
    expect(platform.state.readyRouters.every((id) => id.startsWith('router-r3-'))).toBe(true);
    expect([...platform.state.routerPools.values()].map((p) => [p.params.mode, p.params.maxConnections])).toEqual(
      Array(4).fill(['fixed', 138]),
    );
  });

  it('a limit lowered below what is held evicts nothing: every held slot stays, and nothing breaks conservation', () => {
    const p = incident([{ at: '20m', reconfigure: 'router', pool: { maxConnections: 10 } }], (x) => {
      x.router.pool.mode = 'fixed';
    });
    const platform = start(p);
    platform.sim.runUntil(20 * MIN - 1);
    const held = [...platform.state.routerPools.values()].map((pool) => pool.occupied);
    expect(Math.min(...held)).toBeGreaterThan(10);
    platform.sim.runUntil(20 * MIN + 10);
    expect([...platform.state.routerPools.values()].map((pool) => pool.occupied)).toEqual(held);
    expect(platform.connectedFraction()).toBe(1);
    const { summary } = runPlatform(p, { seed: 1 });
    expect(summary.conservation).toEqual({ held: true, violations: [] });
  });
});

describe('restart', () => {
  it('replaces every pod with a new revision of the same template, rolled out by the strategy', () => {
    const platform = start(incident([{ at: '20m', restart: 'router' }], (p) => (p.router.pool.mode = 'fixed')));
    platform.sim.runUntil(20 * MIN - 1);
    const before = [...platform.state.readyRouters];
    expect(before.every((id) => id.startsWith('router-r1-'))).toBe(true);
    platform.sim.runUntil(25 * MIN);
    expect(platform.state.readyRouters).toHaveLength(4);
    expect(platform.state.readyRouters.some((id) => before.includes(id))).toBe(false);
    expect(platform.state.readyRouters.every((id) => id.startsWith('router-r2-'))).toBe(true);
    expect(logged(platform, ROUTER_CONTROLLER, /restart|complete/).map(([, line]) => line)).toEqual([
      'restart: rollout to revision 2 with the same pod template: router rollout restart',
      'rollout to revision 2 complete: 4 pods available',
    ]);
    expect([...platform.state.routerPools.values()].every((pool) => pool.params === platform.state.params.router.pool)).toBe(true);
  });
});

describe('pause and resume', () => {
  it('a paused rollout is held (the pod already starting finishes, no further step), then finishes after the resume', () => {
    // the manager's 3 pods roll one at a time (maxSurge 25% → 1, maxUnavailable 25% → 0); the first new pod starts at 10:00
    const platform = start(
      storm([
        { at: '10m10s', pause: 'manager' },
        { at: '20m', resume: 'manager' },
      ]),
    );
    platform.sim.runUntil(19 * MIN);
    expect(podsByRevision(platform, MANAGER_CONTROLLER)).toEqual({ 1: 3, 2: 1 });
    expect(platform.state.readyManagers.filter((id) => id.startsWith('manager-r2-'))).toHaveLength(1); // it finished starting
    expect(platform.state.rollouts.manager).toEqual({ inProgress: true, paused: true });
    expect(logged(platform, MANAGER_CONTROLLER, /complete/)).toEqual([]);
    platform.sim.runUntil(30 * MIN);
    expect(podsByRevision(platform, MANAGER_CONTROLLER)).toEqual({ 2: 3 });
    const [[done]] = logged(platform, MANAGER_CONTROLLER, /complete/) as [[number, string]];
    expect(done).toBeGreaterThan(20 * MIN);
    expect(platform.state.rollouts.manager).toEqual({ inProgress: false, paused: false });
  });

  it('a deployment paused with no rollout in progress holds a later rollout until the resume', () => {
    const platform = start(
      incident([
        { at: '5m', pause: 'router' },
        { at: '10m', rollout: 'router', pool: { mode: 'fixed', maxConnections: 69 } },
        { at: '15m', resume: 'router' },
      ]),
    );
    platform.sim.runUntil(15 * MIN - 1);
    expect(podsByRevision(platform, ROUTER_CONTROLLER)).toEqual({ 1: 4 });
    expect(platform.state.rollouts.router).toEqual({ inProgress: true, paused: true });
    platform.sim.runUntil(16 * MIN);
    expect(podsByRevision(platform, ROUTER_CONTROLLER)).toEqual({ 2: 4 });
  });

  it('scaling still applies while paused, to every revision in proportion (3 old + 1 new scaled to 6: 6 old + 2 new)', () => {
    const platform = start(
      storm([
        { at: '10m10s', pause: 'manager' },
        { at: '15m', scale: 'manager', replicas: 6 },
      ]),
    );
    platform.sim.runUntil(17 * MIN);
    expect(podsByRevision(platform, MANAGER_CONTROLLER)).toEqual({ 1: 6, 2: 2 });
    expect(platform.state.readyManagers).toHaveLength(8);
  });

  it('a pod killed while paused is replaced within its own revision', () => {
    const platform = start(
      storm([
        { at: '10m10s', pause: 'manager' },
        { at: '15m', kill: 'manager', count: 2 },
      ]),
    );
    platform.sim.runUntil(18 * MIN);
    expect(podsByRevision(platform, MANAGER_CONTROLLER)).toEqual({ 1: 3, 2: 1 });
    expect(platform.state.readyManagers).toHaveLength(4);
  });
});

describe('admit', () => {
  /** WebSocket opens that reached a router, per whole second of the run. */
  function opensPerSecond(p: PlatformParams, untilMs: number): { perSecond: Map<number, number>; platform: Platform } {
    const platform = start(p);
    const perSecond = new Map<number, number>();
    platform.sim.network.sent$.subscribe((env: Envelope) => {
      if (env.event.type !== 'WS_OPEN' || !env.to.startsWith('router-')) return;
      const s = Math.floor(platform.sim.now / SEC);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    });
    platform.sim.runUntil(untilMs);
    return { perSecond, platform };
  }
  const within = (m: Map<number, number>, fromMs: number, toMs: number) =>
    [...m].filter(([s]) => s * SEC >= fromMs && s * SEC < toMs).map(([, n]) => n);

  it('caps the WebSocket opens that reach the routers at N a second (burst N), sheds the rest, leaves REST alone', () => {
    const N = 5;
    const limited = opensPerSecond(storm([{ at: '10m', admit: { reconnectsPerSecond: N }, duration: '10m' }]), 25 * MIN);
    const free = opensPerSecond(storm([]), 25 * MIN);
    const during = within(limited.perSecond, 10 * MIN, 20 * MIN);
    // a bucket of N tokens refilled at N a second: at most 2N in any whole second, N·T + N over T seconds
    expect(Math.max(...during)).toBeLessThanOrEqual(2 * N);
    expect(during.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(N * 600 + N);
    // the same storm without it has seconds above the cap: the limit is what kept them down
    expect(Math.max(...within(free.perSecond, 10 * MIN, 20 * MIN))).toBeGreaterThan(2 * N);
    const s = limited.platform.state.signals;
    expect(s.attemptShed.value).toBeGreaterThan(0);
    expect(free.platform.state.signals.attemptShed.value).toBe(0);
    // REST goes through: registrations and task calls keep reaching the routers
    expect(s.restCalls.value).toBeGreaterThan(0);
    // lifted after its duration
    expect(limited.platform.state.admission).toBeUndefined();
  });

  it('without a duration stays in force to the end; a later admit replaces it', () => {
    const platform = start(
      storm([
        { at: '10m', admit: { reconnectsPerSecond: 5 } },
        { at: '15m', admit: { reconnectsPerSecond: 0 }, duration: '1m' },
      ]),
    );
    platform.sim.runUntil(14 * MIN);
    expect(platform.state.admission?.perSecond).toBe(5);
    platform.sim.runUntil(15 * MIN + 30 * SEC);
    const shed = platform.state.signals.attemptShed.value;
    const attempts = platform.state.signals.reconnectAttempts.value;
    expect(platform.state.admission?.perSecond).toBe(0);
    platform.sim.runUntil(15 * MIN + 50 * SEC);
    // with 0 a second every attempt is shed
    expect(platform.state.signals.attemptShed.value - shed).toBe(platform.state.signals.reconnectAttempts.value - attempts);
    platform.sim.runUntil(17 * MIN);
    expect(platform.state.admission).toBeUndefined(); // the later one's end lifts the limit: the earlier is not restored
  });
});

describe('what the timeline leaves behind (the oracle’s control run starts from it)', () => {
  it('the last pool rolled out or reconfigured, the replicas and limits scaled to, an admission limit left in force', () => {
    const p = storm([
      { at: '12m', reconfigure: 'router', pool: { maxConnections: 138 } },
      { at: '13m', scale: 'router', replicas: 8, minReplicas: 8, maxReplicas: 8 },
      { at: '14m', scale: 'manager', replicas: 5 },
      { at: '15m', admit: { reconnectsPerSecond: 50 }, duration: '1m' },
      { at: '16m', admit: { reconnectsPerSecond: 30 } },
      { at: '17m', pause: 'router' },
    ]);
    const settled = settledConfiguration(p);
    expect(settled.router.pool).toEqual({ ...p.router.pool, mode: 'fixed', maxConnections: 138 });
    expect([settled.router.replicas, settled.router.autoscaling.minReplicas, settled.router.autoscaling.maxReplicas]).toEqual([8, 8, 8]);
    expect(settled.manager.replicas).toBe(5);
    expect(settled.timeline).toEqual([{ atMs: 0, kind: 'admit', reconnectsPerSecond: 30, label: expect.any(String) }]);
    // an admit whose duration ends is not left behind
    expect(settledConfiguration(storm([{ at: '15m', admit: { reconnectsPerSecond: 50 }, duration: '1m' }])).timeline).toEqual([]);
  });
});

describe('determinism', () => {
  const everything: TimelineEvent[] = storm([
    { at: '10m10s', pause: 'manager' },
    { at: '11m', admit: { reconnectsPerSecond: 10 }, duration: '4m' },
    { at: '12m', reconfigure: 'router', pool: { maxConnections: 100, pendingAcquireTimeout: '2m' } },
    { at: '13m', scale: 'router', replicas: 6, minReplicas: 4, maxReplicas: 8 },
    { at: '14m', scale: 'manager', replicas: 4 },
    { at: '16m', resume: 'manager' },
    { at: '18m', restart: 'router' },
  ]).timeline;
  const params = () => {
    const p = prod4Incident({ delegates: 200 });
    p.timeline = structuredClone(everything);
    p.durationMs = 25 * MIN;
    return p;
  };

  it('every verb in one timeline: the same trace hash twice and on both engines', () => {
    const compiled = runPlatform(params(), { seed: 7 });
    const again = runPlatform(params(), { seed: 7 });
    const xstate = runPlatform(params(), { seed: 7, engine: 'xstate' });
    expect(again.summary.traceHash).toBe(compiled.summary.traceHash);
    expect(xstate.summary.traceHash).toBe(compiled.summary.traceHash);
    expect(xstate.summary).toEqual(compiled.summary);
    expect(compiled.summary.conservation.held).toBe(true);
    // and the verbs did something: a different run from the same rollouts without them
    const bare = params();
    bare.timeline = bare.timeline.filter((e) => e.kind === 'rollout');
    expect(runPlatform(bare, { seed: 7 }).summary.traceHash).not.toBe(compiled.summary.traceHash);
  });
});
