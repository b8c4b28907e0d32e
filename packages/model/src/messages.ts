/**
 * The messages actors exchange, one union per receiver. Every hop crosses
 * the simulated network (latency, faults, trace).
 */

/** What a client asks a router for. */
export type RequestKind = 'ws' | 'rest';
/** REST operations, each with its own service time at the manager. */
export type RestOp = 'register' | 'task-acquire' | 'task-result' | 'secret' | 'api';

export type RouterEvent =
  | { type: 'WS_OPEN'; reqId: number; client: string }
  | { type: 'WS_ABANDON'; reqId: number; client: string }
  | { type: 'REST_ABANDON'; reqId: number; client: string }
  | { type: 'HEARTBEAT'; client: string }
  | { type: 'HEARTBEAT_ACK'; client: string }
  | { type: 'REST'; reqId: number; client: string; op: RestOp }
  | { type: 'UPSTREAM_DONE'; reqId: number; ok: boolean }
  | { type: 'SOCKETS_CLOSED'; manager: string; clients: string[] }
  | { type: 'SETUP_DONE'; reqId: number }
  | { type: 'ACQUIRE_TIMEOUT'; reqId: number }
  | { type: 'STALE_RELEASE'; count: number }
  /** maxIdleTime evicts an upstream socket pinned for a client that left (`pin`: which one, router-pod.ts) */
  | { type: 'ABANDONED_RELEASE'; manager: string; client: string; pin?: number }
  /** a hot configuration reload: the pool takes these settings at once (router-pool.ts, reconfigure) */
  | { type: 'RECONFIGURE'; pool: Record<string, unknown> }
  | { type: 'READY' }
  | { type: 'TERMINATE' }
  | { type: 'KILL' };

export type ManagerEvent =
  | { type: 'UPGRADE'; reqId: number; router: string; client: string }
  | { type: 'CALL'; reqId: number; router: string; client: string; op: RestOp }
  | { type: 'CANCEL'; reqId: number; router: string }
  | { type: 'SESSION_CLOSE'; client: string }
  | { type: 'HEARTBEAT'; client: string; router: string }
  | { type: 'JOB_DONE'; reqId: number }
  | { type: 'EXPIRE_WORK'; client: string }
  | { type: 'READY' }
  | { type: 'TERMINATE' }
  | { type: 'KILL' };

export type DelegateEvent =
  | { type: 'WS_ESTABLISHED'; reqId: number; router: string }
  /** 'shed': refused by the admission control in front of the routers (an `admit` event), before any router saw it */
  | { type: 'WS_FAILED'; reqId: number; reason: 'overflow' | 'acquire-timeout' | 'upstream' | 'router-gone' | 'shed' }
  | { type: 'WS_CLOSED'; router: string }
  | { type: 'REST_RESULT'; reqId: number; ok: boolean }
  | { type: 'TASK_OFFER'; taskId: number; offeredAtMs: number }
  | { type: 'TASK_RUN_DONE'; taskId: number }
  | { type: 'HEARTBEAT_ACK'; client: string };

export type WorkloadEvent =
  | { type: 'NEXT_PIPELINE' }
  | { type: 'NEXT_API' }
  | { type: 'REST_RESULT'; reqId: number; ok: boolean }
  | { type: 'API_RETRY'; reqId: number }
  | { type: 'REST_TIMEOUT'; reqId: number; router: string }
  | { type: 'TASK_END'; taskId: number; outcome: 'completed' | 'failed' }
  | { type: 'TASKS_LOST'; client: string; taskIds: number[] }
  | { type: 'SOCKET_DOWN'; client: string }
  | { type: 'CHECK_DISCONNECTED'; client: string }
  | { type: 'EXPIRE_TASKS'; taskIds: number[] }
  | { type: 'LOAD_FACTOR'; factor: number };

/** What pods tell their deployment's controller, and what the timeline and autoscaler ask of it. */
export type ControllerEvent =
  | { type: 'POD_READY'; pod: string }
  | { type: 'POD_GONE'; pod: string }
  | { type: 'TICK' }
  | { type: 'ROLLOUT'; pool?: Record<string, unknown>; label: string }
  | { type: 'ROLLBACK'; label: string }
  /** spec.replicas changed: by the autoscaler, or by hand (`label`: the timeline's `scale` event) */
  | { type: 'SCALE'; replicas: number; label?: string }
  | { type: 'KILL_PODS'; count: number }
  /** `kubectl rollout restart`: a new revision with the same pod template */
  | { type: 'RESTART'; label: string }
  /** `kubectl rollout pause` / `resume` */
  | { type: 'PAUSE'; label: string }
  | { type: 'RESUME'; label: string }
  /** router: the running pods' pools take these settings at once, and so do the pods created later */
  | { type: 'RECONFIGURE'; pool: Record<string, unknown>; label: string };
