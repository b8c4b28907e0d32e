/**
 * Resolving valid topologies: the example files equal the named scenarios, an empty topology is DEFAULTS, and every
 * field of `PlatformParams` can be set from YAML under its documented name.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/defaults.ts';
import type { PlatformParams } from '../../src/params.ts';
import { prod4ElasticBaseline, prod4Incident, steadyStateLimit } from '../../src/scenarios.ts';
import { loadTopologyFile, loadTopologyText, parseTopology, type TopologyInput } from '../../src/topology/index.ts';

const example = (name: string) => fileURLToPath(new URL(`../../../../examples/topologies/${name}`, import.meta.url));

describe('example topologies', () => {
  it('prod4-incident.yaml is prod4Incident()', () => {
    expect(loadTopologyFile(example('prod4-incident.yaml'))).toStrictEqual(prod4Incident());
  });

  it('prod4-incident-small.yaml is prod4Incident({ delegates: 200 }) under its own name', () => {
    expect(loadTopologyFile(example('prod4-incident-small.yaml'))).toStrictEqual({
      ...prod4Incident({ delegates: 200 }),
      name: 'prod4-incident-small',
    });
  });

  it('prod4-elastic-baseline.yaml is prod4ElasticBaseline()', () => {
    expect(loadTopologyFile(example('prod4-elastic-baseline.yaml'))).toStrictEqual(prod4ElasticBaseline());
  });

  it('the incident sizes the fixed pool for steady state (steadyStateLimit), and its comments say how', () => {
    const p = loadTopologyFile(example('prod4-incident.yaml'));
    const limit = steadyStateLimit(p.delegates.count, p.router.replicas);
    const rollout = p.timeline[0];
    expect(rollout?.kind === 'rollout' && rollout.pool).toEqual({ mode: 'fixed', maxConnections: limit });
    const text = readFileSync(example('prod4-incident.yaml'), 'utf8').replace(/\n\s*#/g, '');
    expect(text).toContain(
      `${limit} (steadyStateLimit in scenarios.ts), ${p.router.replicas * limit} slots for ${p.delegates.count} sockets`,
    );
  });
});

describe('defaults', () => {
  it('an empty mapping resolves to DEFAULTS', () => {
    expect(parseTopology({})).toStrictEqual(DEFAULTS);
    expect(loadTopologyText('{}', 'empty.yaml')).toStrictEqual(DEFAULTS);
    expect(loadTopologyText('# only a comment\n{}\n', 'empty.yaml')).toStrictEqual(DEFAULTS);
  });

  it('a partial section keeps the defaults of the fields it leaves out', () => {
    const p = parseTopology({ router: { pool: { mode: 'fixed' }, strategy: { rollingUpdate: { maxSurge: 1 } } } });
    expect(p.router.pool).toStrictEqual({ ...DEFAULTS.router.pool, mode: 'fixed' });
    expect(p.router.strategy).toStrictEqual({ ...DEFAULTS.router.strategy, maxSurge: 1 });
    expect(p.router.autoscaling).toStrictEqual(DEFAULTS.router.autoscaling);
    expect(p.manager).toStrictEqual(DEFAULTS.manager);
  });

  it('the result owns its objects: mutating it leaves DEFAULTS alone', () => {
    const before = structuredClone(DEFAULTS);
    const p = parseTopology({});
    p.router.pool.maxConnections = 1;
    p.timeline.push({ atMs: 0, kind: 'rollback', target: 'router', label: 'x' });
    expect(DEFAULTS).toStrictEqual(before);
  });

  it('reconnect policies take their own defaults for the fields left out', () => {
    const reconnect = (r: NonNullable<NonNullable<TopologyInput['delegates']>['reconnect']>) =>
      parseTopology({ delegates: { reconnect: r } }).delegates.reconnect;
    expect(reconnect({ delay: '3s' })).toStrictEqual({ kind: 'fixed', delayMs: 3_000 });
    expect(reconnect({ policy: 'fixed' })).toStrictEqual(DEFAULTS.delegates.reconnect);
    expect(reconnect({ policy: 'fibonacci' })).toStrictEqual({ kind: 'fibonacci', capMs: 144_000 });
    expect(reconnect({ policy: 'exponential-full-jitter', cap: '2m' })).toStrictEqual({
      kind: 'exponential-full-jitter',
      baseMs: 1_000,
      capMs: 120_000,
    });
    expect(reconnect({ policy: 'exponential-decorrelated-jitter', base: 500 })).toStrictEqual({
      kind: 'exponential-decorrelated-jitter',
      baseMs: 500,
      capMs: 60_000,
    });
  });

  it('timeline events get a readable label when they have none', () => {
    const p = parseTopology({
      timeline: [
        { at: '10m', rollout: 'router', pool: { mode: 'fixed', maxConnections: 600, pendingAcquireTimeout: '2m' } },
        { at: '10m', rollout: 'manager' },
        { at: '20m', kill: 'manager', count: 2 },
        { at: '20m', kill: 'router' },
        { at: '20m', partition: 'delegates-routers', duration: '30s' },
        { at: '20m', latencySpike: '200ms', duration: '1m' },
        { at: '20m', loadSpike: 3, duration: '5m' },
        { at: '52m', rollback: 'router' },
      ],
    });
    expect(p.timeline.map((e) => e.label)).toEqual([
      'router rollout (pool: mode fixed, maxConnections 600, pendingAcquireTimeout 2m)',
      'manager rollout',
      'kill 2 manager pods',
      'kill 1 router pod',
      'delegates-routers partition for 30s',
      'latency spike +200ms for 1m',
      'load spike x3 for 5m',
      'router rollback',
    ]);
    expect(p.timeline.map((e) => e.kind)).toEqual([
      'rollout',
      'rollout',
      'kill-pod',
      'kill-pod',
      'partition',
      'latency-spike',
      'load-spike',
      'rollback',
    ]);
    expect(p.timeline[0]).toStrictEqual({
      atMs: 600_000,
      kind: 'rollout',
      target: 'router',
      pool: { mode: 'fixed', maxConnections: 600, pendingAcquireTimeoutMs: 120_000 },
      label: 'router rollout (pool: mode fixed, maxConnections 600, pendingAcquireTimeout 2m)',
    });
    expect(p.timeline[1]).not.toHaveProperty('pool');
  });

  it('YAML anchors and merge keys work, e.g. one strategy for both deployments', () => {
    const p = loadTopologyText(
      [
        'router:',
        '  strategy: &oneAtATime { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, minReadySeconds: 10 }',
        'manager:',
        '  strategy: *oneAtATime',
      ].join('\n'),
      'anchors.yaml',
    );
    expect(p.router.strategy).toStrictEqual({ maxSurge: 1, maxUnavailable: 0, minReadyMs: 10_000 });
    expect(p.manager.strategy).toStrictEqual(p.router.strategy);
  });
});

/** Every field set to a value other than its default, so a field the schema forgets to map fails here. */
const EVERYTHING = `
name: everything
description: every field set
duration: 2h
sampleInterval: 10s
network: { minLatency: 2ms, maxLatency: 20ms }
delegates:
  count: 50000
  startSpread: 2m
  reconnect: { policy: exponential-decorrelated-jitter, base: 2s, cap: 90s }
  socketOpenTimeout: 20s
  restClientTimeout: 12s
  registrationRetry: 30s
  heartbeatInterval: 40s
  heartbeatTimeout: 3m
  livenessProbe: { healthCacheTtl: 1m, period: 5s, failureThreshold: 6 }
  podRestart: 40s
  tasks: { acquireAttempts: 2, resultAttempts: 7, runMedian: 1m, runSigma: 0.5 }
router:
  replicas: 8
  pool:
    mode: fixed
    maxConnections: 2000
    pendingAcquireMaxCount: 500
    pendingAcquireTimeout: 2m
    cancelAbandonedAcquires: true
    staleConnectionRelease: 10s
    connectionSetup: 50ms
    maxIdleTime: 10m
  readinessDelay: 20s
  terminationGracePeriod: 45s
  strategy: { rollingUpdate: { maxSurge: 2, maxUnavailable: "10%" }, minReadySeconds: 5 }
  autoscaling:
    enabled: false
    minReplicas: 6
    maxReplicas: 12
    metric: poolUtilization
    targetUtilization: 0.7
    cpu: { requestMillicores: 500, perRequest: 1ms, perSocketPerSecond: 0.5ms }
    syncPeriod: 30s
    metricLag: 1m
    behavior: { scaleUp: { pods: 2, percent: 50, period: 2m }, scaleDown: { stabilizationWindow: 10m } }
manager:
  replicas: 10
  workers: 16
  serviceTimes: { upgrade: 100ms, registration: 1s, rest: 20ms, expire: 300ms, distribution: lognormal, spread: 0.8 }
  heartbeatLoadPer1000: 2
  disconnectAfter: 10m
  readinessDelay: 90s
  terminationGracePeriod: 1m
  strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, minReadySeconds: 15 }
workload:
  pipelinesPerMinute: 60
  tasksPerPipeline: 4
  secretsPerTask: 1
  apiRequestsPerSecond: 50
  clientAttempts: 5
  clientRetryDelay: 2s
  clientTimeout: 30s
validationGate: { enabled: true, window: 10m, minConnectedFraction: 0.9, breachFor: 1m }
timeline:
  - { at: 1h, rollout: router, pool: { cancelAbandonedAcquires: false }, label: go }
`;

describe('every field', () => {
  const expected: PlatformParams = {
    name: 'everything',
    description: 'every field set',
    durationMs: 7_200_000,
    sampleIntervalMs: 10_000,
    network: { minLatencyMs: 2, maxLatencyMs: 20 },
    delegates: {
      count: 50_000,
      startSpreadMs: 120_000,
      reconnect: { kind: 'exponential-decorrelated-jitter', baseMs: 2_000, capMs: 90_000 },
      socketOpenTimeoutMs: 20_000,
      restClientTimeoutMs: 12_000,
      registrationRetryMs: 30_000,
      heartbeatIntervalMs: 40_000,
      heartbeatTimeoutMs: 180_000,
      healthCacheTtlMs: 60_000,
      livenessPeriodMs: 5_000,
      livenessFailureThreshold: 6,
      podRestartMs: 40_000,
      taskAcquireAttempts: 2,
      taskResultAttempts: 7,
      taskRunMedianMs: 60_000,
      taskRunSigma: 0.5,
    },
    router: {
      replicas: 8,
      pool: {
        mode: 'fixed',
        maxConnections: 2_000,
        pendingAcquireMaxCount: 500,
        pendingAcquireTimeoutMs: 120_000,
        cancelAbandonedAcquires: true,
        staleConnectionReleaseMs: 10_000,
        connectionSetupMs: 50,
        maxIdleTimeMs: 600_000,
      },
      readinessDelayMs: 20_000,
      terminationGracePeriodMs: 45_000,
      strategy: { maxSurge: 2, maxUnavailable: '10%', minReadyMs: 5_000 },
      autoscaling: {
        enabled: false,
        minReplicas: 6,
        maxReplicas: 12,
        metric: 'poolUtilization',
        targetUtilization: 0.7,
        cpuRequestMillicores: 500,
        cpuPerRequestMs: 1,
        cpuPerSocketPerSecondMs: 0.5,
        syncPeriodMs: 30_000,
        metricLagMs: 60_000,
        scaleUpPods: 2,
        scaleUpPercent: 50,
        scaleUpPeriodMs: 120_000,
        scaleDownStabilizationMs: 600_000,
      },
    },
    manager: {
      replicas: 10,
      workers: 16,
      upgradeServiceMs: 100,
      registrationServiceMs: 1_000,
      restServiceMs: 20,
      expireServiceMs: 300,
      serviceTimeDistribution: 'lognormal',
      serviceTimeSpread: 0.8,
      heartbeatLoadPer1000: 2,
      disconnectAfterMs: 600_000,
      readinessDelayMs: 90_000,
      terminationGracePeriodMs: 60_000,
      strategy: { maxSurge: 0, maxUnavailable: 1, minReadyMs: 15_000 },
    },
    workload: {
      pipelinesPerMinute: 60,
      tasksPerPipeline: 4,
      secretsPerTask: 1,
      apiRequestsPerSecond: 50,
      apiClientAttempts: 5,
      clientTimeoutMs: 30_000,
      apiRetryDelayMs: 2_000,
    },
    validationGate: { enabled: true, windowMs: 600_000, minConnectedFraction: 0.9, breachForMs: 60_000 },
    timeline: [{ atMs: 3_600_000, kind: 'rollout', target: 'router', pool: { cancelAbandonedAcquires: false }, label: 'go' }],
  };

  it('resolves every documented field to its PlatformParams field', () => {
    expect(loadTopologyText(EVERYTHING, 'everything.yaml')).toStrictEqual(expected);
  });

  it('the document above changes every field of DEFAULTS (so none is left unmapped)', () => {
    const unchanged: string[] = [];
    const walk = (a: unknown, b: unknown, path: string) => {
      if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
        for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      } else if (JSON.stringify(a) === JSON.stringify(b)) unchanged.push(path);
    };
    walk(DEFAULTS, expected, '');
    expect(unchanged).toEqual([]);
  });

  it('the same document as a TypeScript object resolves the same', () => {
    const input: TopologyInput = {
      duration: '2h',
      router: { pool: { mode: 'fixed', maxConnections: 2_000 }, strategy: { rollingUpdate: { maxSurge: 2, maxUnavailable: '10%' } } },
      timeline: [{ at: 3_600_000 - 1, rollout: 'router', label: 'go' }],
    };
    const p = parseTopology(input, 'inline');
    expect(p.router.pool.maxConnections).toBe(2_000);
    expect(p.router.strategy.maxUnavailable).toBe('10%');
    expect(p.timeline[0]?.atMs).toBe(3_599_999);
  });
});
