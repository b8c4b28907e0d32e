/**
 * Rollout controller: Kubernetes Deployment semantics for the router or the
 * manager deployment.
 *
 * It owns the pods of every revision, creates and terminates them by
 * rolling-update rules (maxSurge / maxUnavailable with Kubernetes rounding,
 * readiness, minReadySeconds), scales on the autoscaler's request or by hand
 * (`kubectl scale`), rolls out a new pod template, restarts every pod with the
 * same one (`kubectl rollout restart`), rolls back to the previous one, pauses
 * and resumes a rollout (`kubectl rollout pause/resume`), reloads the router
 * pods' pool settings in place, and kills pods when a fault says so. With a
 * validation gate (routers), it watches the connected fraction from rollout
 * start until a window after it completes, and rolls back by itself on a
 * breach.
 *
 * Paused (spec.paused), it takes no rollout step: pods already starting finish,
 * no new-revision pod is created and no old one removed for the rollout, and a
 * later rollout waits for the resume. Scaling still applies: with one revision
 * running, to it; in the middle of a rollout, to every revision's pods in
 * proportion (the controller's proportional scaling, kube/rolling-update.ts).
 * As kubectl does, a restart or a rollback of a paused deployment is refused
 * (the topology refuses them in its timeline; the validation gate's automatic
 * rollback is refused and logged).
 */
import { type ActorPort, portOf } from '@stampede/kernel';
import { type AnyActorLogic, setup } from 'xstate';
import { planRollingStep, proportionalScale, resolveRollingUpdate } from '../kube/rolling-update.ts';
import type { ControllerEvent } from '../messages.ts';
import type { PoolParams, RolloutStrategy } from '../params.ts';
import type { PlatformState } from '../platform-state.ts';

export interface DeploymentControllerInput {
  platform: PlatformState;
  deployment: 'router' | 'manager';
  podLogic: AnyActorLogic;
  replicas: number;
  strategy: RolloutStrategy;
  /** router pods: the pool settings of revision 1 */
  pool?: PoolParams;
}

interface Pod {
  rev: number;
  readyAtMs: number | undefined;
  terminating: boolean;
}

interface ControllerContext {
  platform: PlatformState;
  deployment: 'router' | 'manager';
  podLogic: AnyActorLogic;
  strategy: RolloutStrategy;
  desired: number;
  rev: number;
  /** pod template (pool settings) per revision */
  templates: Map<number, PoolParams | undefined>;
  pods: Map<string, Pod>;
  seq: number;
  /** the gate watches until this time (ms) while a gated rollout is on; -1 when off */
  gateUntilMs: number;
  /** since when the connected fraction has been below the gate's minimum; -1 when it is not */
  gateBelowSinceMs: number;
  /** a rollout or rollback is under way (cleared when every new pod is available) */
  rolloutInProgress: boolean;
  /** spec.paused: no rollout step until resumed */
  paused: boolean;
  /** the spec.replicas the revisions' pods were last sized for (a change while paused is scaled in proportion) */
  sizedFor: number;
  /** paused in the middle of a rollout: each revision's ReplicaSet size (spec.replicas); undefined otherwise */
  pausedSizes: Map<number, number> | undefined;
  /** rollout log for the summary: [time ms, what] */
  log: [number, string][];
}

/** Reconcile cadence (the deployment controller's resync, in virtual ms). */
export const CONTROLLER_TICK_MS = 1000;

const available = (ctx: ControllerContext, pod: Pod, nowMs: number) =>
  pod.readyAtMs !== undefined && nowMs - pod.readyAtMs >= ctx.strategy.minReadyMs;

/** A rollout log entry: kept for the run summary, and logged at info (both stamped with virtual time). */
function note(ctx: ControllerContext, port: ActorPort, text: string): void {
  ctx.log.push([port.now, text]);
  port.log.info(text);
}

/** What the controller publishes about its rollout in the platform state (the oracle reads it). */
function publish(ctx: ControllerContext): void {
  const status = ctx.platform.rollouts[ctx.deployment];
  status.inProgress = ctx.rolloutInProgress;
  status.paused = ctx.paused;
}

function create(ctx: ControllerContext, port: ActorPort, rev = ctx.rev): void {
  const id = `${ctx.deployment}-r${rev}-${ctx.seq++}`;
  port.log.info({ pod: id }, `create pod ${id} (revision ${rev})`);
  ctx.pods.set(id, { rev, readyAtMs: undefined, terminating: false });
  // Created by the kernel right after this event, at the same instant: spawning inside an
  // action would run the pod's initial transition nested in ours (xstate warns about it).
  const input = { platform: ctx.platform, controller: port.id, pool: ctx.templates.get(rev) };
  port.spawn(ctx.podLogic, { id, input });
}

function terminate(port: ActorPort, podId: string, pod: Pod, kind: 'TERMINATE' | 'KILL'): void {
  pod.terminating = true;
  port.log.info({ pod: podId }, `${kind === 'KILL' ? 'kill' : 'terminate'} pod ${podId}`);
  port.send(podId, { type: kind }, { latencyMs: 0 });
}

/** Pods to remove first: not ready before ready, then newest first (Kubernetes' ranking, simplified). */
function victims(pods: [string, Pod][], count: number): [string, Pod][] {
  return [...pods]
    .sort(
      (a, b) =>
        Number(a[1].readyAtMs !== undefined) - Number(b[1].readyAtMs !== undefined) || (b[1].readyAtMs ?? 0) - (a[1].readyAtMs ?? 0),
    )
    .slice(0, count);
}

function reconcile(ctx: ControllerContext, port: ActorPort): void {
  const now = port.now;
  const live = [...ctx.pods].filter(([, p]) => !p.terminating);
  const current = live.filter(([, p]) => p.rev === ctx.rev);
  const old = live.filter(([, p]) => p.rev !== ctx.rev);
  if (ctx.paused && old.length > 0) {
    // paused in the middle of a rollout: no rollout step (syncPaused)
    syncPaused(ctx, port, live, now);
  } else if (old.length > 0) {
    const limits = resolveRollingUpdate(ctx.desired, ctx.strategy);
    const step = planRollingStep(
      {
        desired: ctx.desired,
        oldPods: old.length,
        oldReady: old.filter(([, p]) => available(ctx, p, now)).length,
        newPods: current.length,
        newReady: current.filter(([, p]) => available(ctx, p, now)).length,
      },
      limits,
    );
    for (let i = 0; i < step.createNew; i++) create(ctx, port);
    for (const [id, pod] of victims(old, step.terminateOld)) terminate(port, id, pod, 'TERMINATE');
  } else if (current.length < ctx.desired) {
    for (let i = current.length; i < ctx.desired; i++) create(ctx, port);
  } else if (current.length > ctx.desired) {
    for (const [id, pod] of victims(current, current.length - ctx.desired)) terminate(port, id, pod, 'TERMINATE');
  }
  ctx.sizedFor = ctx.desired;
  if (!(ctx.paused && old.length > 0)) ctx.pausedSizes = undefined;
  const gauge = ctx.deployment === 'router' ? ctx.platform.signals.routerReplicas : undefined;
  gauge?.set([...ctx.pods.values()].filter((p) => !p.terminating).length);
  const rolling = old.length > 0 || current.some(([, p]) => !available(ctx, p, now));
  if (ctx.rolloutInProgress && !rolling && current.length === ctx.desired) {
    ctx.rolloutInProgress = false;
    note(ctx, port, `rollout to revision ${ctx.rev} complete: ${ctx.desired} pods available`);
    ctx.platform.rolloutsCompletedAtMs.push(now);
  }
  publish(ctx);
  checkGate(ctx, port, rolling);
}

/**
 * A sync of a deployment paused in the middle of a rollout (sync.go, `sync`): no rollout step. Each revision keeps its
 * ReplicaSet's size (a killed pod is replaced within its own revision); a new spec.replicas resizes every revision in
 * proportion (kube/rolling-update.ts, proportionalScale).
 */
function syncPaused(ctx: ControllerContext, port: ActorPort, live: [string, Pod][], now: number): void {
  if (ctx.pausedSizes === undefined) {
    // the ReplicaSets' sizes as the pause found them: the pods of each revision that are not terminating
    ctx.pausedSizes = new Map([[ctx.rev, 0]]);
    for (const [, p] of live) ctx.pausedSizes.set(p.rev, (ctx.pausedSizes.get(p.rev) ?? 0) + 1);
  }
  const revs = [...ctx.pausedSizes.keys()].sort((a, b) => a - b);
  if (ctx.sizedFor !== ctx.desired) {
    const newAvailable = live.filter(([, p]) => p.rev === ctx.rev && available(ctx, p, now)).length;
    const before = revs.map((rev) => ctx.pausedSizes!.get(rev)!);
    const after = proportionalScale(
      before.map((replicas) => ({ replicas })),
      ctx.desired,
      ctx.sizedFor,
      ctx.strategy,
      newAvailable,
    );
    note(
      ctx,
      port,
      `paused: scale ${ctx.sizedFor} → ${ctx.desired} in proportion (revision: pods ${revs.map((r, i) => `${r}: ${before[i]} → ${after[i]}`).join(', ')})`,
    );
    for (const [i, rev] of revs.entries()) ctx.pausedSizes.set(rev, after[i]!);
  }
  for (const rev of revs) {
    const pods = live.filter(([, p]) => p.rev === rev);
    const size = ctx.pausedSizes.get(rev)!;
    for (let n = pods.length; n < size; n++) create(ctx, port, rev);
    if (pods.length > size) for (const [id, pod] of victims(pods, pods.length - size)) terminate(port, id, pod, 'TERMINATE');
  }
}

function checkGate(ctx: ControllerContext, port: ActorPort, rolling: boolean): void {
  if (ctx.gateUntilMs < 0) return;
  const p = ctx.platform;
  const gate = p.params.validationGate;
  const now = port.now;
  const fraction = p.connectedList.length / p.params.delegates.count;
  if (fraction >= gate.minConnectedFraction) ctx.gateBelowSinceMs = -1;
  else if (ctx.gateBelowSinceMs < 0) ctx.gateBelowSinceMs = now;
  else if (now - ctx.gateBelowSinceMs >= gate.breachForMs) {
    ctx.gateUntilMs = -1;
    ctx.gateBelowSinceMs = -1;
    note(
      ctx,
      port,
      `validation gate: connected fraction ${fraction.toFixed(3)} below ${gate.minConnectedFraction} for ${gate.breachForMs / 1000} s: automatic rollback`,
    );
    rollback(ctx, port);
    return;
  }
  if (rolling) ctx.gateUntilMs = Math.max(ctx.gateUntilMs, now + gate.windowMs);
  else if (now >= ctx.gateUntilMs) {
    ctx.gateUntilMs = -1;
    note(ctx, port, 'validation gate: passed, promoted');
  }
}

/** A new revision of `template`, rolled out by the strategy (a rollout, a restart or a rollback). */
function startRevision(ctx: ControllerContext, port: ActorPort, template: PoolParams | undefined): void {
  ctx.rev++;
  ctx.rolloutInProgress = true;
  ctx.templates.set(ctx.rev, template);
  reconcile(ctx, port);
}

function rollback(ctx: ControllerContext, port: ActorPort): void {
  if (ctx.paused) {
    // kubectl rollout undo: "you cannot rollback a paused deployment; resume it first"
    note(ctx, port, 'rollback refused: the deployment is paused (resume it first)');
    return;
  }
  startRevision(ctx, port, ctx.templates.get(ctx.rev - 1));
}

export const deploymentController = setup({
  types: { context: {} as ControllerContext, input: {} as DeploymentControllerInput, events: {} as ControllerEvent },
  actions: {
    tick: ({ context, self }) => {
      portOf(self).send(self.id, { type: 'TICK' }, { latencyMs: CONTROLLER_TICK_MS });
      reconcile(context, portOf(self));
    },
    podReady: ({ context, event, self }) => {
      if (event.type !== 'POD_READY') return;
      const pod = context.pods.get(event.pod);
      if (pod !== undefined) pod.readyAtMs = portOf(self).now;
      reconcile(context, portOf(self));
    },
    podGone: ({ context, event, self }) => {
      if (event.type !== 'POD_GONE') return;
      context.pods.delete(event.pod);
      portOf(self).stop(event.pod);
      reconcile(context, portOf(self));
    },
    rollout: ({ context, event, self }) => {
      if (event.type !== 'ROLLOUT') return;
      const now = portOf(self).now;
      const base = context.templates.get(context.rev);
      context.rev++;
      context.rolloutInProgress = true;
      context.templates.set(context.rev, base === undefined ? undefined : ({ ...base, ...(event.pool ?? {}) } as PoolParams));
      note(context, portOf(self), `rollout to revision ${context.rev}: ${event.label}`);
      if (context.deployment === 'router' && context.platform.params.validationGate.enabled) {
        context.gateUntilMs = now + context.platform.params.validationGate.windowMs;
      }
      reconcile(context, portOf(self));
    },
    rollback: ({ context, event, self }) => {
      if (event.type !== 'ROLLBACK') return;
      context.gateUntilMs = -1;
      if (!context.paused)
        note(context, portOf(self), `rollback to the previous pod template (revision ${context.rev + 1}): ${event.label}`);
      rollback(context, portOf(self));
    },
    restart: ({ context, event, self }) => {
      if (event.type !== 'RESTART') return;
      if (context.paused) {
        // kubectl rollout restart: "can't restart paused deployment (run rollout resume first)"
        note(context, portOf(self), `restart refused: the deployment is paused (resume it first): ${event.label}`);
        return;
      }
      note(context, portOf(self), `restart: rollout to revision ${context.rev + 1} with the same pod template: ${event.label}`);
      if (context.deployment === 'router' && context.platform.params.validationGate.enabled) {
        context.gateUntilMs = portOf(self).now + context.platform.params.validationGate.windowMs;
      }
      startRevision(context, portOf(self), context.templates.get(context.rev));
    },
    pause: ({ context, event, self }) => {
      if (event.type !== 'PAUSE' && event.type !== 'RESUME') return;
      const pausing = event.type === 'PAUSE';
      if (context.paused === pausing) {
        note(
          context,
          portOf(self),
          `${pausing ? 'pause' : 'resume'} ignored: the deployment is ${pausing ? 'already' : 'not'} paused: ${event.label}`,
        );
        return;
      }
      context.paused = pausing;
      const live = [...context.pods.values()].filter((p) => !p.terminating);
      const newPods = live.filter((p) => p.rev === context.rev).length;
      const state = context.rolloutInProgress ? `revision ${context.rev} at ${newPods} of ${live.length} pods` : 'no rollout in progress';
      note(context, portOf(self), `${pausing ? 'paused' : 'resumed'} (${state}): ${event.label}`);
      reconcile(context, portOf(self));
    },
    reconfigure: ({ context, event, self }) => {
      if (event.type !== 'RECONFIGURE') return;
      const settings = event.pool as Partial<PoolParams>;
      // a hot reload, not a new revision: every running pod takes the settings now (router-pool.ts, reconfigure), and
      // every revision's template too, so pods created later (scaling, a later rollout or a rollback) start with them
      for (const [rev, template] of context.templates) {
        if (template !== undefined) context.templates.set(rev, { ...template, ...settings });
      }
      const pods = [...context.pods.keys()];
      note(context, portOf(self), `pool reconfigured in place on ${pods.length} pod(s): ${event.label}`);
      for (const pod of pods) portOf(self).send(pod, { type: 'RECONFIGURE', pool: event.pool }, { latencyMs: 0 });
    },
    scale: ({ context, event, self }) => {
      if (event.type !== 'SCALE' || event.replicas === context.desired) return;
      note(context, portOf(self), `scale ${context.desired} → ${event.replicas}${event.label === undefined ? '' : `: ${event.label}`}`);
      context.desired = event.replicas;
      reconcile(context, portOf(self));
    },
    kill: ({ context, event, self }) => {
      if (event.type !== 'KILL_PODS') return;
      const ready = [...context.pods].filter(([, p]) => !p.terminating && p.readyAtMs !== undefined);
      const port = portOf(self);
      for (let i = 0; i < event.count && ready.length > 0; i++) {
        const [id, pod] = ready.splice(Math.floor(port.random.next() * ready.length), 1)[0]!;
        terminate(portOf(self), id, pod, 'KILL');
      }
      note(context, portOf(self), `killed ${Math.min(event.count, ready.length + event.count)} pod(s)`);
    },
  },
}).createMachine({
  id: 'deployment-controller',
  context: ({ input }) => ({
    platform: input.platform,
    deployment: input.deployment,
    podLogic: input.podLogic,
    strategy: input.strategy,
    desired: input.replicas,
    rev: 1,
    templates: new Map([[1, input.pool]]),
    pods: new Map(),
    seq: 0,
    gateUntilMs: -1,
    gateBelowSinceMs: -1,
    rolloutInProgress: false,
    paused: false,
    sizedFor: input.replicas,
    pausedSizes: undefined,
    log: [],
  }),
  entry: 'tick',
  on: {
    TICK: { actions: 'tick' },
    POD_READY: { actions: 'podReady' },
    POD_GONE: { actions: 'podGone' },
    ROLLOUT: { actions: 'rollout' },
    ROLLBACK: { actions: 'rollback' },
    SCALE: { actions: 'scale' },
    KILL_PODS: { actions: 'kill' },
    RESTART: { actions: 'restart' },
    PAUSE: { actions: 'pause' },
    RESUME: { actions: 'pause' },
    RECONFIGURE: { actions: 'reconfigure' },
  },
});
