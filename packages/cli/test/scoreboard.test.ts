import { formatScoreboard, recoveredByItself, type ScenarioOutcome, type ScenarioVerdict, scoreboardRow } from '@stampede/report';
import { describe, expect, it } from 'vitest';
import { fixedSummary } from './fixtures.ts';

const MIN = 60_000;

describe('recoveredByItself', () => {
  it('yes when the first recovery came before the rollback', () => {
    expect(recoveredByItself(fixedSummary({ firstRecoveredAtMs: 13 * MIN }), 52 * MIN)).toEqual({ yes: true, text: 'yes' });
  });

  it('no when it recovered only after the rollback', () => {
    expect(recoveredByItself(fixedSummary({ firstRecoveredAtMs: 53 * MIN, recoveredAtMs: 53 * MIN }), 52 * MIN)).toEqual({
      yes: false,
      text: 'no (rollback 52:00)',
    });
  });

  it('without a rollback in the timeline: whether the run recovered', () => {
    expect(recoveredByItself(fixedSummary(), undefined).yes).toBe(true);
    expect(
      recoveredByItself(fixedSummary({ recovered: false, recoveredAtMs: undefined, firstRecoveredAtMs: undefined }), undefined),
    ).toEqual({
      yes: false,
      text: 'no (never recovered)',
    });
  });

  it('yes when there was no storm at all', () => {
    expect(recoveredByItself(fixedSummary({ stormStartMs: undefined }), 52 * MIN)).toEqual({ yes: true, text: 'yes (no storm)' });
  });
});

describe('formatScoreboard', () => {
  it('prints one row per scenario, the errors, then a replay command per scenario', () => {
    const outcomes: ScenarioOutcome[] = [
      {
        file: 'examples/topologies/prod4-incident.yaml',
        ok: true,
        summary: fixedSummary({ firstRecoveredAtMs: 53 * MIN }),
        rollbackAtMs: 52 * MIN,
        verdict: {
          verdict: 'metastable',
          dominantLoop: 'abandoned-acquires',
          timeToRecoverSec: undefined,
          storm: true,
          timeToRecoverFromStormSec: undefined,
        },
      },
      {
        file: 'examples/topologies/action-1-pool-headroom.yaml',
        ok: true,
        summary: fixedSummary(),
        rollbackAtMs: undefined,
        verdict: { verdict: 'recovered', dominantLoop: 'none', timeToRecoverSec: 180, storm: true, timeToRecoverFromStormSec: 150 },
      },
      {
        file: 'examples/topologies/action-2-longer-acquire-timeout.yaml',
        ok: false,
        kind: 'topology',
        text: 'router.replicas: must be ≥ 1',
      },
    ];
    const lines = formatScoreboard(outcomes, 5);
    const row = (name: string) => lines.find((l) => l.startsWith(name))!.split(/\s{2,}/);
    expect(lines[0]).toMatch(/^scenario\s+verdict \(oracle, no\s+time to recover\s+lowest\s+blocked\s+failed secret\s+API\s+trace hash$/);
    expect(row('prod4-incident')).toEqual([
      'prod4-incident',
      'metastable (abandoned-acquires)',
      'not recovered',
      '12.3%',
      '7',
      '11',
      '13',
      '0123456789abcdef',
    ]);
    expect(row('action-1-pool-headroom')).toEqual([
      'action-1-pool-headroom',
      'recovered',
      '2 min 30 s',
      '12.3%',
      '7',
      '11',
      '13',
      '0123456789abcdef',
    ]);
    expect(row('action-2-longer-acquire-timeout')[1]).toBe('error (topology)');
    expect(lines).toContain('action-2-longer-acquire-timeout: router.replicas: must be ≥ 1');
    expect(lines.slice(-3)).toEqual([
      'replay: stampede run examples/topologies/prod4-incident.yaml --seed 5',
      'replay: stampede run examples/topologies/action-1-pool-headroom.yaml --seed 5',
      'replay: stampede run examples/topologies/action-2-longer-acquire-timeout.yaml --seed 5',
    ]);
    // on the reference interpreter, every replay says so (the default engine needs no flag)
    expect(formatScoreboard(outcomes, 5, undefined, 'compiled').slice(-3)).toEqual(lines.slice(-3));
    expect(formatScoreboard(outcomes, 5, undefined, 'xstate').slice(-3)).toEqual([
      'replay: stampede run examples/topologies/prod4-incident.yaml --seed 5 --engine xstate',
      'replay: stampede run examples/topologies/action-1-pool-headroom.yaml --seed 5 --engine xstate',
      'replay: stampede run examples/topologies/action-2-longer-acquire-timeout.yaml --seed 5 --engine xstate',
    ]);
  });

  it('time to recover is measured from the storm, and a run without a storm says "no storm", not the rollout\'s length', () => {
    const outcome = (verdict: ScenarioVerdict): ScenarioOutcome => ({
      file: 'x.yaml',
      ok: true,
      summary: fixedSummary(),
      rollbackAtMs: undefined,
      verdict,
    });
    const base = { verdict: 'recovered', dominantLoop: 'none' } as const;
    expect(scoreboardRow(outcome({ ...base, timeToRecoverSec: 950, storm: false, timeToRecoverFromStormSec: undefined }))[2]).toBe(
      'no storm',
    );
    expect(scoreboardRow(outcome({ ...base, timeToRecoverSec: 950, storm: true, timeToRecoverFromStormSec: 165 }))[2]).toBe('2 min 45 s');
    expect(
      scoreboardRow(
        outcome({
          verdict: 'slow',
          dominantLoop: 'retries',
          timeToRecoverSec: undefined,
          storm: false,
          timeToRecoverFromStormSec: undefined,
        }),
      )[2],
    ).toBe('not recovered');
  });
});
