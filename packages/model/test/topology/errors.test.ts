/**
 * Invalid topologies: every problem of a document reported at once, in document order, each with its path, the value
 * found and what was expected; unknown keys with a did-you-mean; YAML syntax errors with line and column; cross-field
 * checks; and nothing but a TopologyError thrown for bad input.
 */
import { describe, expect, it } from 'vitest';
import { loadTopologyFile, loadTopologyText, parseTopology, TopologyError, type TopologyIssue } from '../../src/topology/index.ts';

/** The TopologyError a call throws (fails the test if it throws anything else, or nothing). */
function topologyError(f: () => unknown): TopologyError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(TopologyError);
    return err as TopologyError;
  }
  throw new Error('expected a TopologyError, got none');
}

const issuesOf = (f: () => unknown) => topologyError(f).issues.map(({ path, message }) => ({ path, message }));
const yamlIssues = (text: string) => issuesOf(() => loadTopologyText(text, 'test.yaml'));

describe('a document with several mistakes', () => {
  const text = [
    'name: prod4', // 1
    'delegates:', // 2
    '  count: -5', // 3
    '  socketOpenTimeout: fifteen', // 4
    'router:', // 5
    '  pool:', // 6
    '    mode: fixd', // 7
    '    maxConection: 600', // 8
    '    maxConnections: -5', // 9
    '  strategy: { rollingUpdate: { maxSurge: "150%" } }', // 10
    'manager:', // 11
    '  workers: many', // 12
    'timeline:', // 13
    '  - { at: 10m, rollout: router }', // 14
    '  - { at: soon, rollback: router }', // 15
    '  - { at: 20m, kill: manager, count: 0 }', // 16
  ].join('\n');

  it('reports all of them, in document order, each with its path, the value and the expectation', () => {
    expect(yamlIssues(text)).toEqual([
      {
        path: 'delegates.count',
        message: 'expected an integer from 1 to 100000 (one actor per delegate; larger fleets do not fit a run), got -5',
      },
      { path: 'delegates.socketOpenTimeout', message: 'expected a duration such as 15s, 5m or 250ms, got "fifteen"' },
      { path: 'router.pool.mode', message: 'expected one of "elastic" or "fixed", got "fixd" (did you mean "fixed"?)' },
      { path: 'router.pool.maxConection', message: 'unknown key "maxConection" (did you mean "maxConnections"?)' },
      {
        path: 'router.pool.maxConnections',
        message: 'expected an integer from 1 to 100000 (upstream connection slots per router pod), got -5',
      },
      {
        path: 'router.strategy.rollingUpdate.maxSurge',
        message: 'expected a pod count or a whole percentage from 0% to 100%, such as 1 or "25%", got "150%"',
      },
      { path: 'manager.workers', message: 'expected a positive integer, got "many"' },
      { path: 'timeline[1].at', message: 'expected a duration such as 15s, 5m or 250ms, got "soon"' },
      { path: 'timeline[2].count', message: 'expected an integer from 1 to 1000 (pods killed at once), got 0' },
    ]);
  });

  it('locates each in the YAML by line', () => {
    expect(topologyError(() => loadTopologyText(text, 'test.yaml')).issues.map((i) => i.line)).toEqual([3, 4, 7, 8, 9, 10, 12, 15, 16]);
  });

  it('prints them one per line, prefixed by the source and a count', () => {
    const message = topologyError(() => loadTopologyText(text, 'prod4.yaml')).message;
    const lines = message.split('\n');
    expect(lines[0]).toBe('prod4.yaml: 9 problems:');
    expect(lines[1]).toBe(
      '  - delegates.count: expected an integer from 1 to 100000 (one actor per delegate; larger fleets do not fit a run), got -5 (line 3)',
    );
    expect(lines[2]).toBe('  - delegates.socketOpenTimeout: expected a duration such as 15s, 5m or 250ms, got "fifteen" (line 4)');
    expect(lines).toHaveLength(10);
  });

  it('says "1 problem" for one', () => {
    expect(topologyError(() => parseTopology({ duration: 'x' }, 'one.yaml')).message).toBe(
      'one.yaml: 1 problem:\n  - duration: expected a duration such as 15s, 5m or 250ms, got "x"',
    );
  });
});

describe('unknown keys', () => {
  it.each([
    ['router: { pool: { maxConection: 5 } }', 'router.pool.maxConection', 'maxConnections'],
    ['delegates: { socketOpenTimeoutMs: 15000 }', 'delegates.socketOpenTimeoutMs', 'socketOpenTimeout'],
    ['manager: { terminationGracePeriodSeconds: 30 }', 'manager.terminationGracePeriodSeconds', 'terminationGracePeriod'],
    ['delegates: { livenessProbe: { periodSeconds: 10 } }', 'delegates.livenessProbe.periodSeconds', 'period'],
    ['workload: { pipelines_per_minute: 3 }', 'workload.pipelines_per_minute', 'pipelinesPerMinute'],
    ['Router: {}', 'Router', 'router'],
    ['timeline: [{ at: 1m, rolout: router }]', 'timeline[0].rolout', 'rollout'],
    ['timeline: [{ at: 1m, rollout: router, lable: x }]', 'timeline[0].lable', 'label'],
    ['delegates: { reconnect: { policy: fibonacci, cpa: 1m } }', 'delegates.reconnect.cpa', 'cap'],
  ])('%s: did you mean', (yaml, path, guess) => {
    const key = path.replace(/.*[.\]]/, '');
    expect(yamlIssues(yaml)).toEqual([{ path, message: `unknown key "${key}" (did you mean "${guess}"?)` }]);
  });

  it('lists the known keys when nothing is close', () => {
    expect(yamlIssues('network: { jitter: 5ms }')).toEqual([
      { path: 'network.jitter', message: 'unknown key "jitter": expected one of minLatency, maxLatency' },
    ]);
  });

  it('says which variant a misplaced key belongs to', () => {
    expect(yamlIssues('delegates: { reconnect: { policy: fibonacci, delay: 5s } }')).toEqual([
      {
        path: 'delegates.reconnect.delay',
        message: 'unknown key "delay" for policy fibonacci: expected policy or cap ("delay" is a setting of policy fixed)',
      },
    ]);
    expect(yamlIssues('timeline: [{ at: 1m, rollout: router, count: 2 }]')).toEqual([
      {
        path: 'timeline[0].count',
        message: 'unknown key "count" for a rollout event: expected at, rollout, pool or label ("count" is a setting of a kill event)',
      },
    ]);
  });

  it('reports several unknown keys of one mapping each at its own key, in document order', () => {
    expect(yamlIssues('router: { zeta: 1, replicas: 0, alpha: 2 }').map((i) => i.path)).toEqual([
      'router.zeta',
      'router.replicas',
      'router.alpha',
    ]);
  });
});

describe('values', () => {
  it.each([
    ['name: ""', 'name', 'expected a non-empty string, got ""'],
    ['sampleInterval: 0s', 'sampleInterval', 'expected a duration from 100ms to 1h (the period of the sampled time series), got "0s"'],
    ['duration: -1', 'duration', 'expected a duration such as 15s, 5m or 250ms, got -1 (durations cannot be negative)'],
    ['router: { replicas: 2.5 }', 'router.replicas', 'expected an integer from 1 to 1000 (router pods, one actor each), got 2.5'],
    ['router: { replicas: "4" }', 'router.replicas', 'expected a positive integer, got "4"'],
    ['router: { replicas: }', 'router.replicas', 'expected a positive integer, got null'],
    ['router: { pool: { cancelAbandonedAcquires: yes } }', 'router.pool.cancelAbandonedAcquires', 'expected true or false, got "yes"'],
    [
      'router: { autoscaling: { targetUtilization: 80 } }',
      'router.autoscaling.targetUtilization',
      'expected a number above 0 and at most 1, got 80',
    ],
    [
      'router: { strategy: { rollingUpdate: { maxUnavailable: "12.5%" } } }',
      'router.strategy.rollingUpdate.maxUnavailable',
      'expected a pod count or a whole percentage from 0% to 100%, such as 1 or "25%", got "12.5%"',
    ],
    ['router: { strategy: { minReadySeconds: 1m } }', 'router.strategy.minReadySeconds', 'expected a non-negative integer, got "1m"'],
    ['validationGate: { minConnectedFraction: 1.5 }', 'validationGate.minConnectedFraction', 'expected a number from 0 to 1, got 1.5'],
    ['delegates: [1, 2]', 'delegates', 'expected a mapping, got a list'],
    ['delegates: { reconnect: fixed }', 'delegates.reconnect', 'expected a mapping such as { policy: fixed, delay: 5s }, got "fixed"'],
    [
      'delegates: { reconnect: { policy: fibonaci } }',
      'delegates.reconnect.policy',
      'expected one of "fixed", "fibonacci", "exponential-full-jitter" or "exponential-decorrelated-jitter", got "fibonaci" (did you mean "fibonacci"?)',
    ],
    ['timeline: { at: 1m }', 'timeline', 'expected a list of events, got a mapping'],
    ['timeline: [5]', 'timeline[0]', 'expected an event such as { at: 10m, rollout: router }, got 5'],
    [
      'timeline: [{ at: 1m }]',
      'timeline[0]',
      'expected an event with one of rollout, rollback, kill, partition, latencySpike, loadSpike, scale, reconfigure, restart, pause, resume or admit, got only at',
    ],
    ['timeline: [{ at: 1m, rollout: router, kill: router }]', 'timeline[0].kill', 'expected one action per event, got rollout and kill'],
    ['timeline: [{ rollout: router }]', 'timeline[0].at', 'expected a duration such as 15s, 5m or 250ms, got nothing'],
    [
      'timeline: [{ at: 1m, rollout: routers }]',
      'timeline[0].rollout',
      'expected one of "router" or "manager", got "routers" (did you mean "router"?)',
    ],
    ['timeline: [{ at: 1m, loadSpike: 3 }]', 'timeline[0].duration', 'expected a duration such as 15s, 5m or 250ms, got nothing'],
    ['timeline: [{ at: 1m, partition: managers, duration: 1m }]', 'timeline[0].partition', 'expected "delegates-routers", got "managers"'],
    [
      'timeline: [{ at: 1m, rollout: router, pool: { maxConnections: 0 } }]',
      'timeline[0].pool.maxConnections',
      'expected an integer from 1 to 100000 (upstream connection slots per router pod), got 0',
    ],
  ])('%s', (yaml, path, message) => {
    expect(yamlIssues(yaml)).toEqual([{ path, message }]);
  });

  it('rejects a document that is not a mapping', () => {
    expect(yamlIssues('')).toEqual([
      {
        path: '',
        message: 'expected a mapping of topology settings (name, duration, delegates, router, …), got nothing (the document is empty)',
      },
    ]);
    expect(yamlIssues('- name: x')).toEqual([
      { path: '', message: 'expected a mapping of topology settings (name, duration, delegates, router, …), got a list' },
    ]);
    expect(issuesOf(() => parseTopology('prod4'))[0]?.message).toMatch(/got "prod4"$/);
  });
});

describe('cross-field checks', () => {
  it('network: maxLatency below minLatency', () => {
    expect(yamlIssues('network: { minLatency: 10ms, maxLatency: 5ms }')).toEqual([
      { path: 'network.maxLatency', message: 'expected at least minLatency (10ms), got "5ms"' },
    ]);
    // only one written: reported at it, naming the default it conflicts with
    expect(yamlIssues('network: { minLatency: 10ms }')).toEqual([
      { path: 'network.minLatency', message: 'expected at most maxLatency (5ms, the default), got "10ms"' },
    ]);
  });

  it('autoscaling: maxReplicas below minReplicas', () => {
    expect(yamlIssues('router: { autoscaling: { minReplicas: 6, maxReplicas: 4 } }')).toEqual([
      { path: 'router.autoscaling.maxReplicas', message: 'expected at least minReplicas (6), got 4' },
    ]);
    expect(yamlIssues('router: { autoscaling: { minReplicas: 5 } }')).toEqual([
      { path: 'router.autoscaling.minReplicas', message: 'expected at most maxReplicas (4, the default), got 5' },
    ]);
  });

  it('reconnect: base above cap', () => {
    expect(yamlIssues('delegates: { reconnect: { policy: exponential-full-jitter, base: 2m } }')).toEqual([
      { path: 'delegates.reconnect.base', message: 'expected at most cap (1m, the default), got "2m"' },
    ]);
  });

  it('rolling update: maxSurge and maxUnavailable both 0', () => {
    expect(yamlIssues('manager: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } } }')).toEqual([
      {
        path: 'manager.strategy.rollingUpdate.maxUnavailable',
        message: 'expected a value above 0 when maxSurge is 0 (the rollout could not replace any pod), got "0%"',
      },
    ]);
  });

  it('timeline: every event before the end of the run', () => {
    expect(yamlIssues('duration: 30m\ntimeline: [{ at: 10m, rollout: router }, { at: 30m, rollback: router }]')).toEqual([
      { path: 'timeline[1].at', message: 'expected a time before the end of the run (duration 30m), got "30m"' },
    ]);
    expect(yamlIssues('timeline: [{ at: 2h, kill: router }]')).toEqual([
      { path: 'timeline[0].at', message: 'expected a time before the end of the run (duration 1h, the default), got "2h"' },
    ]);
  });

  it('timeline: a rollback needs a rollout of the same deployment before it', () => {
    const noRollout = 'expected a router rollout before this rollback (at or before 20m), got none: there is nothing to roll back';
    expect(yamlIssues('timeline: [{ at: 20m, rollback: router }]')).toEqual([{ path: 'timeline[0].rollback', message: noRollout }]);
    // a manager rollout does not count; a router rollout after the rollback does not either
    expect(yamlIssues('timeline: [{ at: 10m, rollout: manager }, { at: 20m, rollback: router }, { at: 30m, rollout: router }]')).toEqual([
      { path: 'timeline[1].rollback', message: noRollout },
    ]);
    // at the same time, list order decides
    expect(yamlIssues('timeline: [{ at: 20m, rollback: router }, { at: 20m, rollout: router }]')).toEqual([
      { path: 'timeline[0].rollback', message: noRollout },
    ]);
    expect(() => loadTopologyText('timeline: [{ at: 20m, rollout: router }, { at: 20m, rollback: router }]', 't.yaml')).not.toThrow();
    // the order of the list does not matter when the times differ
    expect(() => loadTopologyText('timeline: [{ at: 30m, rollback: router }, { at: 20m, rollout: router }]', 't.yaml')).not.toThrow();
  });

  it('timeline: a pool only on a router rollout', () => {
    expect(yamlIssues('timeline: [{ at: 10m, rollout: manager, pool: { mode: fixed } }]')).toEqual([
      { path: 'timeline[0].pool', message: 'expected no pool on a manager rollout (the pool is the router’s), got a mapping' },
    ]);
  });

  it('timeline, scale: something to scale to, limits only on the router autoscaler, min ≤ max against the limits in force', () => {
    expect(yamlIssues('timeline: [{ at: 20m, scale: router }]')).toEqual([
      {
        path: 'timeline[0].scale',
        message: 'expected replicas, minReplicas or maxReplicas beside scale: router (what to scale to), got none',
      },
    ]);
    expect(yamlIssues('timeline: [{ at: 20m, scale: router, replicas: -1 }]')).toEqual([
      {
        path: 'timeline[0].replicas',
        message: 'expected an integer from 0 to 1000 (pods of the deployment, one actor each; 0 stops them all), got -1',
      },
    ]);
    expect(yamlIssues('timeline: [{ at: 20m, scale: manager, replicas: 8, maxReplicas: 8 }]')).toEqual([
      { path: 'timeline[0].maxReplicas', message: 'expected no maxReplicas on a manager scale (only the router has an autoscaler), got 8' },
    ]);
    expect(yamlIssues('router: { autoscaling: { enabled: false } }\ntimeline: [{ at: 20m, scale: router, minReplicas: 2 }]')).toEqual([
      {
        path: 'timeline[0].minReplicas',
        message: 'expected no minReplicas while router.autoscaling.enabled is false (there is no autoscaler to patch), got 2',
      },
    ]);
    // in the event itself, and against the limits the topology (or an earlier patch) left in force
    expect(yamlIssues('timeline: [{ at: 20m, scale: router, minReplicas: 8, maxReplicas: 6 }]')).toEqual([
      { path: 'timeline[0].maxReplicas', message: 'expected at least minReplicas (8), got 6' },
    ]);
    expect(yamlIssues('timeline: [{ at: 20m, scale: router, minReplicas: 8 }]')).toEqual([
      { path: 'timeline[0].minReplicas', message: 'expected at most maxReplicas (4, router.autoscaling.maxReplicas, the default), got 8' },
    ]);
    expect(
      yamlIssues('timeline: [{ at: 30m, scale: router, maxReplicas: 6 }, { at: 20m, scale: router, minReplicas: 8, maxReplicas: 10 }]'),
    ).toEqual([{ path: 'timeline[0].maxReplicas', message: 'expected at least minReplicas (8, set at 20m), got 6' }]);
    expect(() =>
      loadTopologyText('timeline: [{ at: 20m, scale: router, replicas: 8, minReplicas: 8, maxReplicas: 8 }]', 't.yaml'),
    ).not.toThrow();
    expect(() => loadTopologyText('timeline: [{ at: 20m, scale: manager, replicas: 0 }]', 't.yaml')).not.toThrow();
  });

  it('timeline, reconfigure: the router pool, some setting, and not its mode', () => {
    expect(yamlIssues('timeline: [{ at: 20m, reconfigure: manager, pool: { maxConnections: 9 } }]')).toEqual([
      { path: 'timeline[0].reconfigure', message: 'expected "router", got "manager"' },
    ]);
    expect(yamlIssues('timeline: [{ at: 20m, reconfigure: router }]')).toEqual([
      { path: 'timeline[0].pool', message: 'expected a mapping, got nothing' },
    ]);
    expect(yamlIssues('timeline: [{ at: 20m, reconfigure: router, pool: {} }]')).toEqual([
      {
        path: 'timeline[0].pool',
        message: 'expected at least one pool setting to reload, such as { maxConnections: 1118 }, got an empty mapping',
      },
    ]);
    expect(yamlIssues('timeline: [{ at: 20m, reconfigure: router, pool: { mode: elastic } }]')[0]).toMatchObject({
      path: 'timeline[0].pool.mode',
      message: expect.stringMatching(/^expected no mode in a reconfigure .*roll it out.*, got "elastic"$/),
    });
    expect(yamlIssues('timeline: [{ at: 20m, reconfigure: router, pool: { maxConnections: 0 } }]')[0]?.path).toBe(
      'timeline[0].pool.maxConnections',
    );
  });

  it('timeline, pause and resume: what kubectl refuses of a paused deployment', () => {
    expect(yamlIssues('timeline: [{ at: 20m, resume: router }]')).toEqual([
      {
        path: 'timeline[0].resume',
        message: 'expected a router pause before this resume (at or before 20m), got none: there is nothing to resume',
      },
    ]);
    const paused = 'expected a deployment that is not paused, got the router deployment paused at 12m and not resumed';
    expect(yamlIssues('timeline: [{ at: 12m, pause: router }, { at: 14m, pause: router }]')).toEqual([
      { path: 'timeline[1].pause', message: `${paused}: kubectl refuses to pause it again` },
    ]);
    expect(
      yamlIssues(
        'timeline: [{ at: 10m, rollout: router }, { at: 12m, pause: router }, { at: 14m, restart: router }, { at: 16m, rollback: router }]',
      ),
    ).toEqual([
      { path: 'timeline[2].restart', message: `${paused}: kubectl refuses to restart a paused deployment (resume it first)` },
      { path: 'timeline[3].rollback', message: `${paused}: kubectl refuses to roll back a paused deployment (resume it first)` },
    ]);
    // another deployment's pause does not count, and after a resume all is allowed again
    expect(() =>
      loadTopologyText(
        'timeline: [{ at: 10m, rollout: router }, { at: 11m, pause: manager }, { at: 12m, pause: router }, { at: 13m, resume: router }, { at: 14m, restart: router }, { at: 15m, rollback: router }, { at: 16m, pause: router }]',
        't.yaml',
      ),
    ).not.toThrow();
    // a restart is a revision a rollback can go back from
    expect(() => loadTopologyText('timeline: [{ at: 10m, restart: manager }, { at: 15m, rollback: manager }]', 't.yaml')).not.toThrow();
  });

  it('timeline, admit: a rate, and a duration or none', () => {
    expect(yamlIssues('timeline: [{ at: 20m, admit: 50 }]')).toEqual([
      { path: 'timeline[0].admit', message: 'expected a mapping, got 50' },
    ]);
    expect(yamlIssues('timeline: [{ at: 20m, admit: { reconnectsPerSecond: -1 } }]')[0]?.path).toBe(
      'timeline[0].admit.reconnectsPerSecond',
    );
    expect(yamlIssues('timeline: [{ at: 20m, admit: { reconectsPerSecond: 5 } }]')).toContainEqual({
      path: 'timeline[0].admit.reconectsPerSecond',
      message: expect.stringContaining('did you mean "reconnectsPerSecond"'),
    });
    expect(() => loadTopologyText('timeline: [{ at: 20m, admit: { reconnectsPerSecond: 0 } }]', 't.yaml')).not.toThrow();
  });

  it('are reported together with field-level problems, in document order', () => {
    expect(yamlIssues('network: { minLatency: 10ms, maxLatency: 5ms }\nrouter: { replicas: 0 }').map((i) => i.path)).toEqual([
      'network.maxLatency',
      'router.replicas',
    ]);
  });

  it('skip values that are invalid themselves (reported once, as invalid)', () => {
    expect(yamlIssues('network: { minLatency: ten, maxLatency: 5ms }')).toEqual([
      { path: 'network.minLatency', message: 'expected a duration such as 15s, 5m or 250ms, got "ten"' },
    ]);
  });
});

describe('YAML syntax', () => {
  it('reports a syntax error with its line and column', () => {
    const err = topologyError(() => loadTopologyText('name: x\nrouter:\n  replicas: [4\nmanager: {}\n', 'broken.yaml'));
    expect(err.issues).toHaveLength(1);
    const issue = err.issues[0] as TopologyIssue;
    expect(issue.line).toBe(4);
    expect(issue.column).toBe(1);
    expect(issue.message).toMatch(/^YAML syntax error at line 4, column 1: /);
    expect(err.message.startsWith('broken.yaml: 1 problem:\n  - YAML syntax error at line 4, column 1: ')).toBe(true);
  });

  it('rejects duplicate keys', () => {
    const err = topologyError(() => loadTopologyText('router:\n  replicas: 4\n  replicas: 5\n', 'dup.yaml'));
    expect(err.issues.map((i) => [i.line, i.message])).toEqual([[3, 'YAML syntax error at line 3, column 3: Map keys must be unique']]);
  });

  it('reports a tab indentation error', () => {
    const err = topologyError(() => loadTopologyText('router:\n\treplicas: 4\n', 'tabs.yaml'));
    expect(err.issues[0]?.line).toBe(2);
  });
});

describe('only TopologyError, no stack trace needed', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['an array', []],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = { name: 'x' };
        o.delegates = o;
        return o;
      })(),
    ],
    ['a function', { name: () => 1 }],
  ])('parseTopology(%s) throws a TopologyError', (_, input) => {
    topologyError(() => parseTopology(input));
  });

  it('a missing file is a TopologyError naming the path', () => {
    const err = topologyError(() => loadTopologyFile('/nonexistent/prod4.yaml'));
    expect(err.message).toBe('/nonexistent/prod4.yaml: 1 problem:\n  - cannot read the topology file: no such file');
  });

  it('the default source is "topology"', () => {
    expect(topologyError(() => parseTopology({ nme: 'x' })).message).toBe(
      'topology: 1 problem:\n  - nme: unknown key "nme" (did you mean "name"?)',
    );
  });
});
