import { prod4ElasticBaseline, prod4Incident } from '@stampede/model';
import { fmtClock, fmtDuration, replayCommand } from '@stampede/report';
import { describe, expect, it } from 'vitest';
import { perMinuteMinimum, sparkline } from '../src/sparkline.ts';
import { formatAsWrittenHeading, formatHeader, formatSummary } from '../src/summary-format.ts';
import { summaryJson } from '../src/summary-json.ts';
import { formatVerdict, formatVerdictBlock } from '../src/verdict.ts';
import { fixedConnected, fixedSummary, fixedVerdict } from './fixtures.ts';

const input = (overrides = {}) => ({ summary: fixedSummary(overrides), connected: fixedConnected(), recoveredFraction: 0.99 });

describe('sparkline', () => {
  it('shows the lowest sample of each simulated minute on an absolute scale, full block only at the recovered fraction', () => {
    const perMinute = perMinuteMinimum(fixedConnected().timesMs, fixedConnected().values, 20 * 60_000);
    expect(perMinute).toHaveLength(20);
    expect(perMinute.slice(9, 15)).toEqual([1, 0.1, 0.1, 0.1, 0.5, 1]);
    expect(sparkline(perMinute, 0.99)).toBe('██████████▁▁▁▄██████');
    expect(sparkline([0.985, 0.99, 0, Number.NaN], 0.99)).toBe('▇█▁ ');
  });

  it('repeats the previous minute when a minute has no sample', () => {
    expect(perMinuteMinimum([60_000, 180_000], [0.5, 1], 4 * 60_000)).toEqual([0.5, 0.5, 1, 1]);
  });
});

describe('formatSummary', () => {
  it('reads as a timeline: storm, recoveries, impact, conservation, log, hash, replay last', () => {
    const lines = formatSummary('topo.yaml', input());
    expect(lines[0]).toBe('connected    ██████████▁▁▁▄██████');
    expect(lines).toContain('storm        started 10:30 (trigger at 10:00), first recovered 13:00, finally recovered 15:00');
    expect(lines).toContain('recovered    yes, 4 min 30 s after the storm began (5 min after the trigger)');
    expect(lines).toContain('lowest       12.3% connected');
    expect(lines).toContain(
      'impact       7 blocked pipelines, 11 failed secret resolutions, 13 API errors, 17 tasks failed, 19 tasks expired',
    );
    expect(lines).toContain('conservation held');
    expect(lines.some((l) => l.startsWith('half-open'))).toBe(false);
    expect(lines).toContain('   12:05  deploy-router: rollback to the previous pod template');
    expect(lines).toContain('trace hash   0123456789abcdef (12345 events)');
    expect(lines.at(-1)).toBe('replay: stampede run topo.yaml --seed 42');
  });

  it('replays on the engine the run ran on: --engine only for xstate, the default engine needs none', () => {
    expect(formatSummary('topo.yaml', { ...input(), engine: 'xstate' }).at(-1)).toBe(
      'replay: stampede run topo.yaml --seed 42 --engine xstate',
    );
    expect(formatSummary('topo.yaml', { ...input(), engine: 'compiled' }).at(-1)).toBe('replay: stampede run topo.yaml --seed 42');
  });

  it('says when the run never recovered and lists conservation violations', () => {
    const lines = formatSummary(
      'topo.yaml',
      input({
        recovered: false,
        recoveredAtMs: undefined,
        firstRecoveredAtMs: undefined,
        timeToRecoverSec: undefined,
        conservation: { held: false, violations: ['tasks issued 3 != ended 1 + in flight 1'] },
        halfOpenSockets: 4,
      }),
    );
    expect(lines).toContain('half-open    4 sockets still held by routers for delegates that closed them unseen');
    expect(lines).toContain('storm        started 10:30 (trigger at 10:00), first recovered never, finally recovered never');
    expect(lines).toContain('recovered    NO: below 99.0% connected at the end of the run (20:00)');
    expect(lines.join('\n')).toMatch(/conservation VIOLATED .*\n\s+- tasks issued 3 != ended 1 \+ in flight 1/);
  });

  it('distinguishes "no storm" from "no timeline"', () => {
    const noStorm = formatSummary(
      't.yaml',
      input({
        storm: false,
        stormStartMs: undefined,
        firstRecoveredAtMs: undefined,
        timeToRecoverFromStormSec: undefined,
        minConnectedFraction: 0.912,
        recoveredAtMs: 25 * 60_000 + 50_000,
        timeToRecoverSec: 950,
      }),
    );
    expect(noStorm).toContain(
      'storm        none: connected stayed at or above 90.0% after the trigger at 10:00 (a storm is below 90.0%; lowest 91.2%)',
    );
    // the rollout's length is not a time to recover: it is labelled as what it is
    expect(noStorm).toContain(
      'recovered    yes (no storm; back at or above 99.0% from 25:50, 15 min 50 s after the trigger (the rollout, not a storm))',
    );
    expect(formatSummary('t.yaml', input({ triggerAtMs: undefined, stormStartMs: undefined }))).toContain(
      'storm        none: the topology has no timeline events',
    );
  });

  it('quotes a file name that needs it in the replay command', () => {
    expect(replayCommand("my topo's.yaml", 3)).toBe("stampede run 'my topo'\\''s.yaml' --seed 3");
    expect(replayCommand('examples/topologies/prod4-incident.yaml', 0)).toBe(
      'stampede run examples/topologies/prod4-incident.yaml --seed 0',
    );
    expect(replayCommand('p.yaml', 7, 'compiled')).toBe('stampede run p.yaml --seed 7');
    expect(replayCommand('p.yaml', 7, 'xstate')).toBe('stampede run p.yaml --seed 7 --engine xstate');
  });
});

describe('formatHeader', () => {
  it('states the seed, the engine and resolved settings in the first line, then the timeline with the pool each rollout brings', () => {
    const params = prod4Incident({ delegates: 400 });
    const [first, ...rest] = formatHeader('prod4.yaml', 9, params);
    expect(first).toMatch(
      /^stampede run prod4\.yaml: seed 9, engine compiled, 400 delegates, 4 routers \(elastic\), \d+ managers?, 75 simulated minutes$/,
    );
    expect(formatHeader('prod4.yaml', 9, params, undefined, 'xstate')[0]).toMatch(
      /^stampede run prod4\.yaml: seed 9, engine xstate, 400 delegates/,
    );
    expect(rest[0]).toMatch(
      /^ {3}10:00 {2}rollout router → fixed, maxConnections \d+, pending ≤ \d+, acquire timeout \d+ s — router upgrade/,
    );
    expect(rest.some((l) => l.startsWith('   52:00  rollback router'))).toBe(true);
  });

  it('marks timeline events after the end of the run', () => {
    const params = prod4Incident();
    params.durationMs = 20 * 60_000;
    expect(formatHeader('p.yaml', 1, params).find((l) => l.includes('rollback router'))).toMatch(/\(after the end of the run\)$/);
  });
});

describe('summaryJson', () => {
  it('has every key, times in seconds, null for absent values, impact counts flattened', () => {
    const j = summaryJson('topo.yaml', prod4ElasticBaseline(), fixedSummary({ firstRecoveredAtMs: undefined }), 'compiled', fixedVerdict());
    expect(j).toMatchObject({
      file: 'topo.yaml',
      seed: 42,
      engine: 'compiled',
      traceHash: '0123456789abcdef',
      events: 12345,
      recovered: true,
      storm: true,
      timeToRecoverFromStormSec: 270,
      timeToRecoverSec: 300,
      firstRecoveredAtSec: null,
      stormStartSec: 630,
      recoveredAtSec: 900,
      minConnectedFraction: 0.1234,
      blockedPipelines: 7,
      failedSecretResolutions: 11,
      apiErrors: 13,
      tasksFailed: 17,
      tasksExpired: 19,
      conservationHeld: true,
      conservationViolations: [],
      halfOpenSockets: 0,
      replay: 'stampede run topo.yaml --seed 42',
    });
    expect(j.log[1]).toEqual({ atSec: 725, message: 'deploy-router: rollback to the previous pod template' });
    expect(j.timeline.map((e) => e.kind)).toEqual(['rollout', 'rollout']);
    const x = summaryJson('topo.yaml', prod4ElasticBaseline(), fixedSummary(), 'xstate', fixedVerdict());
    expect(x).toMatchObject({ engine: 'xstate', replay: 'stampede run topo.yaml --seed 42 --engine xstate' });
  });

  it("puts the oracle's verdict under its own key beside the run as written: seconds, null for absent values, the rollbacks left out", () => {
    const j = summaryJson('topo.yaml', prod4Incident(), fixedSummary(), 'compiled', fixedVerdict());
    expect(j.recovered).toBe(true); // the run as written
    expect(j.verdictUnavailable).toBeNull();
    expect(j.verdict).toMatchObject({
      verdict: 'metastable',
      dominantLoop: 'abandoned-acquires',
      evidence: 'not recovered at the deadline, minute 28.0 of the run: connected 59.0%, the fixture',
      engine: 'compiled',
      traceHash: 'fedcba9876543210',
      rollbacksLeftOutAtSec: [52 * 60],
      triggerAtSec: 600,
      triggerEndSec: 780,
      deadlineSec: 1680,
      recoveredAtSec: null,
      timeToRecoverSec: null,
      storm: true,
      stormStartSec: 630,
      timeToRecoverFromStormSec: null,
      severity: { minConnectedFraction: 0.1234, peakPendingAcquires: 480, routersAdded: 2 },
      control: { healthy: true },
    });
    // every key is there after a JSON round trip (no undefined)
    expect(Object.keys(JSON.parse(JSON.stringify(j.verdict))).sort()).toEqual(Object.keys(j.verdict!).sort());
    const none = summaryJson('topo.yaml', prod4Incident(), fixedSummary(), 'compiled', { unavailable: 'nothing to judge.' });
    expect(none).toMatchObject({ verdict: null, verdictUnavailable: 'nothing to judge.', recovered: true });
  });
});

describe('the verdict block and the run as written', () => {
  it('states the question, the verdict with its loop and the evidence, and what was left out', () => {
    const lines = formatVerdictBlock(fixedVerdict(), prod4Incident());
    expect(lines[0]).toBe(
      'verdict (does it come back by itself? manual rollbacks left out): metastable (abandoned-acquires); not recovered at the deadline, minute 28.0 of the run: connected 59.0%, the fixture',
    );
    expect(lines[1]).toBe(
      "  judged on engine compiled, without the manual rollback at 52:00 (oracle's run fedcba9876543210, plus a control run from a quiet start)",
    );
    const recovered = fixedVerdict({
      verdict: 'recovered',
      dominantLoop: 'none',
      control: undefined,
      evidence: 'recovered at minute 13.0',
    });
    expect(formatVerdict(recovered)).toBe('recovered; recovered at minute 13.0');
    expect(formatVerdictBlock(recovered, prod4ElasticBaseline())[1]).toBe("  judged on engine compiled (oracle's run fedcba9876543210)");
  });

  it('says why there is no verdict', () => {
    expect(formatVerdictBlock({ unavailable: 'nothing to judge.' }, prod4ElasticBaseline())).toEqual([
      'verdict (does it come back by itself? manual rollbacks left out): not available: nothing to judge.',
    ]);
  });

  it('heads the summary as the run as written, naming its manual rollbacks; a recovery after one says so', () => {
    expect(formatAsWrittenHeading(prod4Incident())).toBe('the run as written (manual rollback at 52:00 included):');
    expect(formatAsWrittenHeading(prod4ElasticBaseline())).toBe('the run as written:');
    expect(formatSummary('topo.yaml', { ...input(), rollbacksAtMs: [12 * 60_000] })).toContain(
      'recovered    yes, 4 min 30 s after the storm began (5 min after the trigger; after the manual rollback at 12:00)',
    );
    // a rollback after the recovery did not bring it
    expect(formatSummary('topo.yaml', { ...input(), rollbacksAtMs: [16 * 60_000] })).toContain(
      'recovered    yes, 4 min 30 s after the storm began (5 min after the trigger)',
    );
  });
});

describe('time formats', () => {
  it('prints virtual clock times and durations', () => {
    expect([fmtClock(0), fmtClock(630_000), fmtClock(75 * 60_000)]).toEqual(['0:00', '10:30', '75:00']);
    expect([fmtDuration(45), fmtDuration(240), fmtDuration(2560)]).toEqual(['45 s', '4 min', '42 min 40 s']);
  });
});
