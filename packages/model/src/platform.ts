/**
 * Builds a platform simulation from resolved parameters and runs it.
 *
 * One kernel simulation; the workload, the two deployment controllers (which
 * create the pods), the autoscaler and the delegates as actors; the timeline
 * as kernel events that message the controllers, the network and the
 * workload. Everything random comes from the seed.
 */
import {
  bindForFork,
  createSimulation,
  type EngineName,
  forkBlank,
  forkSafe,
  type LoggingOptions,
  type ScheduledEvent,
  type Series,
  type Simulation,
} from '@stampede/kernel';
import { autoscaler } from './actors/autoscaler.ts';
import { delegate } from './actors/delegate.ts';
import { deploymentController } from './actors/deployment-controller.ts';
import { managerPod } from './actors/manager-pod.ts';
import { routerPod } from './actors/router-pod.ts';
import { workload } from './actors/workload.ts';
import type { PlatformParams, TimelineEvent } from './params.ts';
import { createPlatformState, type PlatformState } from './platform-state.ts';

export const ROUTER_CONTROLLER = 'deploy-router';
export const MANAGER_CONTROLLER = 'deploy-manager';

export interface Platform {
  readonly sim: Simulation;
  readonly state: PlatformState;
  /**
   * @internal the timeline as scheduled at build: each event, its handle in the queue, and its place among the events
   * of its instant (a fork adds or cancels events at their places: platform-fork.ts)
   */
  readonly timeline: readonly { readonly event: TimelineEvent; readonly handle: ScheduledEvent; readonly seq: number }[];
  /** @internal the place the first timeline event has (or would have) among the events of its instant */
  readonly timelineStartSeq: number;
  /** @internal the place of the first event scheduled after the timeline at build: every added event goes before it */
  readonly timelineEndSeq: number;
  /** rollout and timeline log: [virtual ms, what happened] */
  log(): [number, string][];
  /** delegates connected right now, as a fraction of the fleet (what the validation gate and the oracle watch) */
  connectedFraction(): number;
}

/** @internal A class, not an object literal with closures, so that a fork copies it with the simulation. */
export class PlatformImpl implements Platform {
  constructor(
    readonly sim: Simulation,
    readonly state: PlatformState,
    readonly timeline: Platform['timeline'],
    readonly timelineStartSeq: number,
    readonly timelineEndSeq: number,
  ) {}
  connectedFraction(): number {
    return this.state.connectedList.length / this.state.params.delegates.count;
  }
  log(): [number, string][] {
    const controllerLog = (id: string) =>
      (this.sim.actors.get(id).getSnapshot().context as { log: [number, string][] }).log.map(
        ([t, s]) => [t, `${id}: ${s}`] as [number, string],
      );
    return [...this.state.timelineLog, ...controllerLog(ROUTER_CONTROLLER), ...controllerLog(MANAGER_CONTROLLER)].sort(
      (a, b) => a[0] - b[0],
    );
  }
}

forkBlank(PlatformImpl, () => new PlatformImpl(undefined as never, undefined as never, [], 0, 0));

/** @internal what one timeline event does when its time comes (data in the queue: a fork copies it) */
export const fireTimelineEvent = forkSafe((t: { state: PlatformState; sim: Simulation; event: TimelineEvent }): void => {
  const { state, sim, event } = t;
  state.timelineLog.push([sim.now, describeEvent(event)]);
  sim.logger.info({ actor: 'timeline' }, describeEvent(event));
  apply(state, sim, event);
});

const updateReadyGauges = (state: PlatformState): void => {
  state.signals.routerReady.set(state.readyRouters.length);
  state.signals.managerReady.set(state.readyManagers.length);
};
const isDelegate = forkSafe((id: string) => id.startsWith('delegate-'));
const isRouter = forkSafe((id: string) => id.startsWith('router-'));
const healNetwork = forkSafe((sim: Simulation) => sim.network.heal());
const endLoadSpike = forkSafe((sim: Simulation) =>
  sim.send('timeline', 'workload', { type: 'LOAD_FACTOR', factor: 1 } as never, { latencyMs: 0 }),
);
const endAdmission = forkSafe((a: { state: PlatformState; bucket: PlatformState['admission'] }) => {
  if (a.state.admission === a.bucket) a.state.admission = undefined;
});

export interface BuildOptions {
  /** pino logging on virtual time. @defaultValue silent */
  logging?: LoggingOptions;
  /** what runs the actors' machines: 'compiled' (fast) or 'xstate' (the reference). @defaultValue 'compiled' */
  engine?: EngineName;
}

export function buildPlatform(params: PlatformParams, seed: number, options: BuildOptions = {}): Platform {
  const { logging, engine } = options;
  const sim = createSimulation({
    seed,
    ...(engine ? { engine } : {}),
    network: params.network,
    metrics: { sampleIntervalMs: params.sampleIntervalMs },
    ...(logging ? { logging } : {}),
  });
  const state: PlatformState = createPlatformState(params, sim);

  sim.spawn(deploymentController, {
    id: MANAGER_CONTROLLER,
    input: {
      platform: state,
      deployment: 'manager',
      podLogic: managerPod,
      replicas: params.manager.replicas,
      strategy: params.manager.strategy,
    },
  });
  sim.spawn(deploymentController, {
    id: ROUTER_CONTROLLER,
    input: {
      platform: state,
      deployment: 'router',
      podLogic: routerPod,
      replicas: params.router.replicas,
      strategy: params.router.strategy,
      pool: params.router.pool,
    },
  });
  if (params.router.autoscaling.enabled) sim.spawn(autoscaler, { id: 'autoscaler', input: { platform: state, target: ROUTER_CONTROLLER } });
  sim.spawn(workload, { id: 'workload', input: { platform: state } });

  const spread = sim.random.fork('delegate-start');
  const d = params.delegates;
  for (let i = 0; i < d.count; i++) {
    sim.spawn(delegate, { id: `delegate-${i}`, input: { platform: state, startAtMs: spread.uniform(0, d.startSpreadMs) } });
  }

  const timelineStartSeq = sim.queue.nextSeq;
  const timeline = params.timeline.map((event) => {
    const seq = sim.queue.nextSeq;
    return { event, seq, handle: sim.queue.schedule(event.atMs, fireTimelineEvent, { state, sim, event }) };
  });
  sim.queue.onAdvance(bindForFork(updateReadyGauges, undefined, state));
  return new PlatformImpl(sim, state, timeline, timelineStartSeq, sim.queue.nextSeq);
}

function controllerOf(target: 'router' | 'manager'): string {
  return target === 'router' ? ROUTER_CONTROLLER : MANAGER_CONTROLLER;
}

function apply(state: PlatformState, sim: Simulation, event: TimelineEvent): void {
  switch (event.kind) {
    case 'rollout':
      sim.send('timeline', controllerOf(event.target), { type: 'ROLLOUT', pool: event.pool, label: event.label } as never, {
        latencyMs: 0,
      });
      return;
    case 'rollback':
      sim.send('timeline', controllerOf(event.target), { type: 'ROLLBACK', label: event.label } as never, { latencyMs: 0 });
      return;
    case 'kill-pod':
      sim.send('timeline', controllerOf(event.target), { type: 'KILL_PODS', count: event.count } as never, { latencyMs: 0 });
      return;
    case 'partition':
      // delegates lose their path to the routers (both ways) for the duration
      sim.network.partition(isDelegate, isRouter);
      sim.queue.schedule(event.durationMs, healNetwork, sim);
      return;
    case 'latency-spike':
      sim.network.latencySpike({ extraLatencyMs: event.extraLatencyMs, durationMs: event.durationMs });
      return;
    case 'load-spike':
      sim.send('timeline', 'workload', { type: 'LOAD_FACTOR', factor: event.factor } as never, { latencyMs: 0 });
      sim.queue.schedule(event.durationMs, endLoadSpike, sim);
      return;
    case 'scale': {
      // kubectl patch hpa, then kubectl scale, both written to the API server now: the autoscaler reads them at its
      // next sync, the deployment controller acts on the new spec.replicas
      if (event.target === 'router') {
        if (event.minReplicas !== undefined) state.autoscalerLimits.minReplicas = event.minReplicas;
        if (event.maxReplicas !== undefined) state.autoscalerLimits.maxReplicas = event.maxReplicas;
      }
      if (event.replicas !== undefined) {
        state.specReplicas[event.target] = event.replicas;
        const scale = { type: 'SCALE', replicas: event.replicas, label: event.label };
        sim.send('timeline', controllerOf(event.target), scale as never, { latencyMs: 0 });
      }
      return;
    }
    case 'reconfigure':
      sim.send('timeline', ROUTER_CONTROLLER, { type: 'RECONFIGURE', pool: event.pool, label: event.label } as never, { latencyMs: 0 });
      return;
    case 'restart':
      sim.send('timeline', controllerOf(event.target), { type: 'RESTART', label: event.label } as never, { latencyMs: 0 });
      return;
    case 'pause':
    case 'resume':
      sim.send('timeline', controllerOf(event.target), { type: event.kind.toUpperCase(), label: event.label } as never, { latencyMs: 0 });
      return;
    case 'admit': {
      // the edge's admission control (platform-state.ts, admitWebSocket): a bucket of reconnectsPerSecond tokens, full
      // now; a later admit replaces it, and the end of this one's duration lifts only its own limit
      const perSecond = event.reconnectsPerSecond;
      const bucket = { perSecond, milliTokens: perSecond * 1000, refilledAtMs: sim.now };
      state.admission = bucket;
      if (event.durationMs !== undefined) {
        sim.queue.schedule(event.durationMs, endAdmission, { state, bucket });
      }
      return;
    }
  }
}

export function describeEvent(event: TimelineEvent): string {
  return `${event.kind} ${'target' in event ? event.target : ''}: ${event.label}`.replace('  ', ' ');
}

/** The connected fraction series (connected delegates / fleet size) from a run's series. */
export function connectedFraction(series: Series[], delegates: number): { timesMs: Float64Array; values: Float64Array } {
  const s = series.find((x) => x.name === 'delegates.connected');
  if (s === undefined) throw new Error('connectedFraction: the run has no delegates.connected series');
  return { timesMs: s.timesMs, values: s.values.map((v) => v / delegates) };
}
