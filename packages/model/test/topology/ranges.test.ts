/**
 * Ranges: every numeric and duration field has a documented range (what the model supports, and why), so an absurd
 * but well-typed value is one issue naming the field, the value and the range, never a hang, runaway memory or a crash
 * later in the run; a run too big for the machine is refused up front with its estimate and the limit; and a hostile
 * file (100k unknown keys, a huge timeline, megabytes of text) is rejected quickly with a capped list of problems.
 * The values are those of the user study's hostile inputs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../src/defaults.ts';
import {
  estimateRunSize,
  loadTopologyFile,
  loadTopologyText,
  MAX_LISTED_ISSUES,
  parseTopology,
  RUN_SIZE_LIMITS,
  TopologyError,
} from '../../src/topology/index.ts';

function topologyError(f: () => unknown): TopologyError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(TopologyError);
    return err as TopologyError;
  }
  throw new Error('expected a TopologyError, got none');
}

/** The one issue of a YAML topology (fails unless there is exactly one). */
function oneIssue(yaml: string): { path: string; message: string } {
  const err = topologyError(() => loadTopologyText(yaml, 'hostile.yaml'));
  expect(err.issues.map((i) => i.path)).toHaveLength(1);
  return { path: err.issues[0]!.path, message: err.issues[0]!.message };
}

describe('a value outside its range is one issue naming the field, the value and the range', () => {
  // [yaml, path, the value as the message shows it, the range as the message states it]
  const cases: [string, string, string, string][] = [
    ['delegates: { heartbeatTimeout: 1e-9 }', 'delegates.heartbeatTimeout', '1e-9', 'a duration from 1s to 1h'],
    ['workload: { pipelinesPerMinute: 9007199254740993 }', 'workload.pipelinesPerMinute', '9007199254740992', 'a number from 0 to 10000'],
    ['workload: { pipelinesPerMinute: 1e308 }', 'workload.pipelinesPerMinute', '1e+308', 'a number from 0 to 10000'],
    ['duration: 1e308', 'duration', '1e+308', 'a duration from 1s to 168h'],
    ['workload: { tasksPerPipeline: 1e9 }', 'workload.tasksPerPipeline', '1000000000', 'an integer from 0 to 100'],
    ['delegates: { count: 1e6 }', 'delegates.count', '1000000', 'an integer from 1 to 100000'],
    ['delegates: { count: 1e7 }', 'delegates.count', '10000000', 'an integer from 1 to 100000'],
    ['router: { replicas: 1e6 }', 'router.replicas', '1000000', 'an integer from 1 to 1000'],
    ['workload: { apiRequestsPerSecond: 1e12 }', 'workload.apiRequestsPerSecond', '1000000000000', 'a number from 0 to 10000'],
    ['delegates: { tasks: { runSigma: 800 } }', 'delegates.tasks.runSigma', '800', 'a number from 0 to 3'],
    ['delegates: { tasks: { runSigma: 1e308 } }', 'delegates.tasks.runSigma', '1e+308', 'a number from 0 to 3'],
    ['delegates: { tasks: { runMedian: 1e308 } }', 'delegates.tasks.runMedian', '1e+308', 'a duration from 1ms to 24h'],
    ['delegates: { tasks: { runMedian: 800h } }', 'delegates.tasks.runMedian', '"800h"', 'a duration from 1ms to 24h'],
    ['timeline: [{ at: 1m, loadSpike: 1e308, duration: 1m }]', 'timeline[0].loadSpike', '1e+308', 'a number above 0 and at most 100'],
    ['delegates: { registrationRetry: 99999999h }', 'delegates.registrationRetry', '"99999999h"', 'a duration from 1s to 1h'],
    [
      'router: { autoscaling: { behavior: { scaleUp: { percent: 1e9 } } } }',
      'router.autoscaling.behavior.scaleUp.percent',
      '1000000000',
      'an integer from 1 to 1000',
    ],
    [
      'router: { strategy: { rollingUpdate: { maxUnavailable: 1e9 } } }',
      'router.strategy.rollingUpdate.maxUnavailable',
      '1000000000',
      'a pod count from 0 to 1000',
    ],
    ['manager: { workers: 1e9 }', 'manager.workers', '1000000000', 'an integer from 1 to 1000'],
    ['sampleInterval: 1ms', 'sampleInterval', '"1ms"', 'a duration from 100ms to 1h'],
    ['delegates: { reconnect: { policy: fixed, delay: 0.001 } }', 'delegates.reconnect.delay', '0.001', 'a duration from 1ms to 1h'],
    ['timeline: [{ at: 1m, kill: router, count: 1e6 }]', 'timeline[0].count', '1000000', 'an integer from 1 to 1000'],
  ];

  it.each(cases)('%s', (yaml, path, shown, range) => {
    const issue = oneIssue(yaml);
    expect(issue.path).toBe(path);
    expect(issue.message).toContain(`expected ${range}`);
    expect(issue.message).toMatch(/\(.+\)/); // the reason
    expect(issue.message.endsWith(`, got ${shown}`)).toBe(true);
  });

  it('states the reason with the range', () => {
    expect(oneIssue('delegates: { tasks: { runSigma: 800 } }').message).toBe(
      'expected a number from 0 to 3 (the spread of the lognormal task run time; above 3 a draw is beyond any run), got 800',
    );
  });

  it('gives the range and its reason for any number outside it, below as above', () => {
    expect(oneIssue('delegates: { count: -5 }').message).toBe(
      `expected an integer from 1 to 100000 (one actor per delegate; larger fleets do not fit a run), got -5`,
    );
    expect(oneIssue('delegates: { count: 0 }').message).toBe(
      `expected an integer from 1 to 100000 (one actor per delegate; larger fleets do not fit a run), got 0`,
    );
    expect(oneIssue('router: { replicas: 2.5 }').message).toBe('expected an integer from 1 to 1000 (router pods, one actor each), got 2.5');
    expect(oneIssue('router: { pool: { pendingAcquireTimeout: 2h } }').message).toBe(
      'expected a duration from 0s to 1h (how long an acquire may wait; 0 means no limit, as in reactor-pool (Duration.ZERO)), got "2h"',
    );
    // 0 is reactor-pool's Duration.ZERO: no limit, not "fail at once"
    expect(loadTopologyText('router: { pool: { pendingAcquireTimeout: 0s } }', 'zero.yaml').router.pool.pendingAcquireTimeoutMs).toBe(0);
  });

  it('is one problem even where another field is compared with it (no second problem at the other field)', () => {
    // minLatency 2m is beyond its range; maxLatency (5ms, the default) is not "below minLatency" on top of that
    expect(oneIssue('network: { minLatency: 2m }')).toEqual({
      path: 'network.minLatency',
      message: 'expected a duration from 0s to 1m (one-way network latency inside a platform), got "2m"',
    });
    expect(oneIssue('router: { autoscaling: { minReplicas: 5000 } }').path).toBe('router.autoscaling.minReplicas');
    // a valid pair out of order is still one problem, at the field the user wrote
    expect(oneIssue('network: { minLatency: 50ms }').message).toBe('expected at most maxLatency (5ms, the default), got "50ms"');
  });

  it('keeps the plain message for a value of the wrong kind', () => {
    expect(oneIssue('router: { replicas: "4" }').message).toBe('expected a positive integer, got "4"');
    expect(oneIssue('workload: { tasksPerPipeline: many }').message).toBe('expected a non-negative integer, got "many"');
  });
});

describe('a bare number is milliseconds', () => {
  it('heartbeatInterval: 50 gets "did you mean 50s?"', () => {
    expect(oneIssue('delegates: { heartbeatInterval: 50 }')).toEqual({
      path: 'delegates.heartbeatInterval',
      message: 'expected a duration from 1s to 1h (the heartbeat period; a bare number is milliseconds: did you mean 50s?), got 50',
    });
  });

  it('says so without a guess when the seconds would be out of range too', () => {
    expect(oneIssue('delegates: { heartbeatInterval: 0.5 }').message).toBe(
      'expected a duration from 1s to 1h (the heartbeat period; a bare number is milliseconds), got 0.5',
    );
  });

  it('accepts the same value with its unit', () => {
    expect(parseTopology({ delegates: { heartbeatInterval: '50s' } }).delegates.heartbeatIntervalMs).toBe(50_000);
  });
});

describe('the size of a run', () => {
  it('estimates a default run well within the limits', () => {
    const e = estimateRunSize(defaultParams());
    expect(e.bytes).toBeGreaterThan(2_000 * 1_000); // at least the delegates
    expect(e.bytes).toBeLessThan(RUN_SIZE_LIMITS.bytes / 10);
    expect(e.events).toBeLessThan(RUN_SIZE_LIMITS.events / 10);
  });

  it('refuses a topology whose run would not fit, with the estimate, the limit and the fields to lower', () => {
    const issue = oneIssue(
      'duration: 168h\nworkload: { pipelinesPerMinute: 10000, tasksPerPipeline: 100 }\ndelegates: { tasks: { runMedian: 24h } }',
    );
    expect(issue.path).toBe('');
    expect(issue.message).toMatch(
      /^expected a run that fits one machine, got a topology whose run would take about [\d.]+ GB of memory \(the limit is [\d.]+ GB\)/,
    );
    expect(issue.message).toMatch(/events \(the limit is 500 million/);
    expect(issue.message).toContain('most of it is tasks; lower workload.pipelinesPerMinute, workload.tasksPerPipeline');
  });

  it('refuses a run of too many events even when its memory fits', () => {
    const issue = oneIssue('duration: 168h\ndelegates: { count: 100000 }');
    expect(issue.message).toContain('about 5.71 billion events (the limit is 500 million');
    expect(issue.message).not.toContain('GB of memory');
    expect(issue.message).toContain('lower delegates.count, duration, delegates.heartbeatInterval');
  });

  it('accepts the largest fleet for an hour', () => {
    expect(parseTopology({ delegates: { count: 100_000 } }).delegates.count).toBe(100_000);
  });
});

describe('hostile files are rejected quickly, with a capped list of problems', () => {
  it('20k unknown keys: every one counted, the first 50 listed, the rest summed up', () => {
    const n = 20_000;
    const yaml = `delegates:\n${Array.from({ length: n }, (_, i) => `  k${i}: 1`).join('\n')}\n`;
    const err = topologyError(() => loadTopologyText(yaml, 'keys.yaml'));
    expect(err.issueCount).toBe(n);
    expect(err.issues).toHaveLength(MAX_LISTED_ISSUES);
    expect(err.issues[0]).toMatchObject({ path: 'delegates.k0', line: 2 });
    expect(err.issues[49]).toMatchObject({ path: 'delegates.k49', line: 51 });
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(1 + MAX_LISTED_ISSUES + 1);
    expect(lines[0]).toBe(`keys.yaml: ${n} problems:`);
    expect(lines.at(-1)).toBe(`  - … and ${n - MAX_LISTED_ISSUES} more problems (fix these first)`);
  });

  it('a timeline of 20k events is one issue about its length, besides the events’ own', () => {
    const yaml = `timeline:\n${Array.from({ length: 20_000 }, () => '  - { at: 1m, rollout: router }').join('\n')}\n`;
    const err = topologyError(() => loadTopologyText(yaml, 'timeline.yaml'));
    expect(err.issues).toEqual([
      { path: 'timeline', message: 'expected a list of events of at most 10000, got 20000', line: 1, column: 1 },
    ]);
  });

  it('a huge key is shown shortened, with no guess', () => {
    const key = 'x'.repeat(1_000);
    const issue = oneIssue(`delegates: { ${key}: 1 }`);
    expect(issue.path.length).toBeLessThan(100);
    expect(issue.message).toMatch(/^unknown key "x{57}\.\.\.": expected one of count, /);
  });

  it('more than 1 MB of text is refused before parsing', () => {
    const yaml = `# ${'x'.repeat(2_000_000)}\nname: big\n`;
    expect(topologyError(() => loadTopologyText(yaml, 'big.yaml')).message).toBe(
      'big.yaml: 1 problem:\n  - expected a topology of at most 1 MB (a topology is a few KB), got 1.9 MB',
    );
    const dir = mkdtempSync(join(tmpdir(), 'stampede-ranges-'));
    try {
      const file = join(dir, 'big.yaml');
      writeFileSync(file, yaml);
      expect(topologyError(() => loadTopologyFile(file)).issues[0]!.message).toContain('at most 1 MB');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('duplicate keys are still found, each at its own line', () => {
    const err = topologyError(() =>
      loadTopologyText('router:\n  replicas: 4\n  replicas: 5\nmanager:\n  workers: 2\n  workers: 3\n', 'dup.yaml'),
    );
    expect(err.issues.map((i) => i.line)).toEqual([3, 6]);
  });
});
