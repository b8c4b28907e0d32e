/**
 * Workload: pipelines arrive as a Poisson process; each creates delegate
 * tasks, resolving the tasks' CI secrets over REST through a router first,
 * then offering each task to a connected delegate (the manager's broadcast).
 * API/UI requests cross the router too, with client retries.
 *
 * It is also where the platform keeps task records, so it does the
 * bookkeeping of the manager service's disconnect detection: a delegate whose
 * socket went down and stayed down for `disconnectAfterMs` has its started
 * tasks expired, and a manager pod does the expiry work.
 */
import { portOf } from '@stampede/kernel';
import { setup } from 'xstate';
import type { WorkloadEvent } from '../messages.ts';
import { type PlatformState, pickOne, sendRestCall } from '../platform-state.ts';

export interface WorkloadInput {
  platform: PlatformState;
}

type TaskStatus = 'secrets' | 'offered' | 'completed' | 'failed' | 'expired';
interface TaskRecord {
  pipeline: number;
  delegate: string | undefined;
  status: TaskStatus;
  secretAttempts: number;
}
interface ApiCall {
  attempts: number;
}

interface WorkloadContext {
  platform: PlatformState;
  loadFactor: number;
  nextTask: number;
  nextPipeline: number;
  tasks: Map<number, TaskRecord>;
  /** pipelines with tasks still running, and whether one already blocked it */
  pipelines: Map<number, { open: number; blocked: boolean }>;
  /** REST request id → task id (secret resolution) or api call */
  secretReqs: Map<number, number>;
  apiReqs: Map<number, ApiCall>;
  /** tasks offered to each delegate and not yet ended */
  byDelegate: Map<string, Set<number>>;
  /** completed + failed + expired task count (conservation) */
  ended: number;
}

type Self = Parameters<typeof portOf>[0];

function rest(ctx: WorkloadContext, self: Self, op: 'secret' | 'api'): number {
  const port = portOf(self);
  const { reqId, router } = sendRestCall(ctx.platform, port, op);
  // the HTTP client gives up after its timeout and closes the request
  if (router !== undefined)
    port.send(self.id, { type: 'REST_TIMEOUT', reqId, router }, { latencyMs: ctx.platform.params.workload.clientTimeoutMs });
  return reqId;
}

function endTask(ctx: WorkloadContext, taskId: number, status: 'completed' | 'failed' | 'expired'): void {
  const task = ctx.tasks.get(taskId);
  if (task === undefined) return; // already ended: first outcome wins
  const s = ctx.platform.signals;
  ctx.tasks.delete(taskId);
  ctx.ended++;
  if (status === 'completed') s.tasksCompleted.add();
  else if (status === 'failed') s.tasksFailed.add();
  else s.tasksExpired.add();
  if (task.delegate !== undefined) ctx.byDelegate.get(task.delegate)?.delete(taskId);
  const pipeline = ctx.pipelines.get(task.pipeline);
  if (pipeline === undefined) return;
  if (status !== 'completed' && !pipeline.blocked) {
    pipeline.blocked = true;
    s.blockedPipelines.add();
  }
  if (--pipeline.open === 0) ctx.pipelines.delete(task.pipeline);
}

function offer(ctx: WorkloadContext, self: Self, taskId: number): void {
  const task = ctx.tasks.get(taskId)!;
  const port = portOf(self);
  const delegate = pickOne(ctx.platform.connectedList, port.random);
  if (delegate === undefined) {
    endTask(ctx, taskId, 'failed'); // no delegate can take it: the pipeline is blocked
    return;
  }
  task.status = 'offered';
  task.delegate = delegate;
  let set = ctx.byDelegate.get(delegate);
  if (set === undefined) ctx.byDelegate.set(delegate, (set = new Set()));
  set.add(taskId);
  port.send(delegate, { type: 'TASK_OFFER', taskId, offeredAtMs: port.now });
}

export const workload = setup({
  types: { context: {} as WorkloadContext, input: {} as WorkloadInput, events: {} as WorkloadEvent },
  actions: {
    start: ({ context, self }) => {
      const port = portOf(self);
      const w = context.platform.params.workload;
      if (w.pipelinesPerMinute > 0)
        port.send(self.id, { type: 'NEXT_PIPELINE' }, { latencyMs: port.random.exponential(60_000 / w.pipelinesPerMinute) });
      if (w.apiRequestsPerSecond > 0)
        port.send(self.id, { type: 'NEXT_API' }, { latencyMs: port.random.exponential(1000 / w.apiRequestsPerSecond) });
    },
    pipeline: ({ context, self }) => {
      const port = portOf(self);
      const w = context.platform.params.workload;
      port.send(
        self.id,
        { type: 'NEXT_PIPELINE' },
        { latencyMs: port.random.exponential(60_000 / (w.pipelinesPerMinute * context.loadFactor)) },
      );
      const pipeline = context.nextPipeline++;
      context.pipelines.set(pipeline, { open: w.tasksPerPipeline, blocked: false });
      for (let i = 0; i < w.tasksPerPipeline; i++) {
        const taskId = context.nextTask++;
        context.platform.signals.tasksIssued.add();
        context.tasks.set(taskId, { pipeline, delegate: undefined, status: 'secrets', secretAttempts: 1 });
        if (w.secretsPerTask > 0) context.secretReqs.set(rest(context, self, 'secret'), taskId);
        else offer(context, self, taskId);
      }
    },
    api: ({ context, self }) => {
      const port = portOf(self);
      const w = context.platform.params.workload;
      port.send(
        self.id,
        { type: 'NEXT_API' },
        { latencyMs: port.random.exponential(1000 / (w.apiRequestsPerSecond * context.loadFactor)) },
      );
      context.platform.signals.apiRequests.add();
      context.apiReqs.set(rest(context, self, 'api'), { attempts: 1 });
    },
    apiRetry: ({ context, event, self }) => {
      if (event.type !== 'API_RETRY') return;
      const call = context.apiReqs.get(event.reqId);
      if (call === undefined) return;
      context.apiReqs.delete(event.reqId);
      context.apiReqs.set(rest(context, self, 'api'), call);
    },
    restTimeout: ({ context, event, self }) => {
      if (event.type !== 'REST_TIMEOUT') return;
      if (!context.secretReqs.has(event.reqId) && !context.apiReqs.has(event.reqId)) return; // answered in time
      portOf(self).send(event.router, { type: 'REST_ABANDON', reqId: event.reqId, client: self.id });
      // handled as a failed call (retry or give up); a late answer finds no record and is ignored
      portOf(self).send(self.id, { type: 'REST_RESULT', reqId: event.reqId, ok: false }, { latencyMs: 0 });
    },
    restResult: ({ context, event, self }) => {
      if (event.type !== 'REST_RESULT') return;
      const w = context.platform.params.workload;
      const s = context.platform.signals;
      const taskId = context.secretReqs.get(event.reqId);
      if (taskId !== undefined) {
        context.secretReqs.delete(event.reqId);
        const task = context.tasks.get(taskId);
        if (task === undefined) return;
        if (event.ok) offer(context, self, taskId);
        else if (task.secretAttempts < w.apiClientAttempts) {
          task.secretAttempts++;
          context.secretReqs.set(rest(context, self, 'secret'), taskId);
        } else {
          s.failedSecretResolutions.add();
          endTask(context, taskId, 'failed');
        }
        return;
      }
      const call = context.apiReqs.get(event.reqId);
      if (call === undefined) return;
      if (event.ok) {
        context.apiReqs.delete(event.reqId);
      } else if (call.attempts < w.apiClientAttempts) {
        call.attempts++;
        portOf(self).send(self.id, { type: 'API_RETRY', reqId: event.reqId }, { latencyMs: w.apiRetryDelayMs });
      } else {
        context.apiReqs.delete(event.reqId);
        s.apiErrors.add();
      }
    },
    taskEnd: ({ context, event }) => {
      if (event.type === 'TASK_END') endTask(context, event.taskId, event.outcome);
    },
    tasksLost: ({ context, event, self }) => {
      // the pod restarted: its tasks are expired when the manager notices it gone
      if (event.type !== 'TASKS_LOST') return;
      const after = context.platform.params.manager.disconnectAfterMs;
      portOf(self).send(self.id, { type: 'EXPIRE_TASKS', taskIds: event.taskIds }, { latencyMs: after });
    },
    socketDown: ({ context, event, self }) => {
      if (event.type !== 'SOCKET_DOWN') return;
      const after = context.platform.params.manager.disconnectAfterMs;
      portOf(self).send(self.id, { type: 'CHECK_DISCONNECTED', client: event.client }, { latencyMs: after });
    },
    checkDisconnected: ({ context, event, self }) => {
      if (event.type !== 'CHECK_DISCONNECTED') return;
      const p = context.platform;
      if (p.connectedIndex.has(event.client)) return; // it came back in time
      const started = context.byDelegate.get(event.client);
      if (started === undefined || started.size === 0) return;
      const port = portOf(self);
      const manager = pickOne(p.readyManagers, port.random);
      if (manager !== undefined) port.send(manager, { type: 'EXPIRE_WORK', client: event.client });
      for (const taskId of [...started]) endTask(context, taskId, 'expired');
    },
    expireTasks: ({ context, event }) => {
      if (event.type !== 'EXPIRE_TASKS') return;
      for (const taskId of event.taskIds) endTask(context, taskId, 'expired');
    },
    loadFactor: ({ context, event }) => {
      if (event.type === 'LOAD_FACTOR') context.loadFactor = event.factor;
    },
  },
}).createMachine({
  id: 'workload',
  context: ({ input }) => ({
    platform: input.platform,
    loadFactor: 1,
    nextTask: 0,
    nextPipeline: 0,
    tasks: new Map(),
    pipelines: new Map(),
    secretReqs: new Map(),
    apiReqs: new Map(),
    byDelegate: new Map(),
    ended: 0,
  }),
  entry: 'start',
  on: {
    NEXT_PIPELINE: { actions: 'pipeline' },
    NEXT_API: { actions: 'api' },
    API_RETRY: { actions: 'apiRetry' },
    REST_RESULT: { actions: 'restResult' },
    REST_TIMEOUT: { actions: 'restTimeout' },
    TASK_END: { actions: 'taskEnd' },
    TASKS_LOST: { actions: 'tasksLost' },
    SOCKET_DOWN: { actions: 'socketDown' },
    CHECK_DISCONNECTED: { actions: 'checkDisconnected' },
    EXPIRE_TASKS: { actions: 'expireTasks' },
    LOAD_FACTOR: { actions: 'loadFactor' },
  },
});
