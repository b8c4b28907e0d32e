import { describe, expect, it } from 'vitest';
import { createSimulation } from '../src/index.ts';

describe('metrics', () => {
  it('samples counters and gauges at fixed virtual intervals without adding events', () => {
    const sim = createSimulation({ seed: 1, metrics: { sampleIntervalMs: 1000 } });
    const attempts = sim.metrics.counter('reconnect.attempts');
    const pending = sim.metrics.gauge('router.pending');
    sim.queue.schedule(500, () => {
      attempts.add(3);
      pending.set(7);
    });
    sim.queue.schedule(2500, () => {
      attempts.add();
      pending.set(2);
    });
    sim.runUntil(4000);
    const series = Object.fromEntries(sim.metrics.series().map((s) => [s.name, [...s.values]]));
    expect(sim.metrics.series()[0]!.timesMs).toEqual(new Float64Array([1000, 2000, 3000, 4000]));
    expect(series['reconnect.attempts']).toEqual([3, 3, 4, 4]);
    expect(series['router.pending']).toEqual([7, 7, 2, 2]);
    expect(sim.queue.fired).toBe(2);
  });

  it('histograms give quantiles per interval and overall', () => {
    const sim = createSimulation({ seed: 1, metrics: { sampleIntervalMs: 1000 } });
    const h = sim.metrics.histogram('task.latency.ms');
    for (let v = 1; v <= 1000; v++) h.record(v);
    sim.runUntil(1000);
    expect(h.quantile(0.5) / 500).toBeGreaterThan(0.9);
    expect(h.quantile(0.5) / 500).toBeLessThan(1.1);
    const p99 = sim.metrics.series().find((s) => s.name === 'task.latency.ms.p99')!;
    expect(p99.values[0]! / 990).toBeGreaterThan(0.9);
    expect(p99.values[0]! / 990).toBeLessThan(1.1);
  });

  it('keeps memory bounded on long runs by halving resolution', () => {
    const sim = createSimulation({ seed: 1, metrics: { sampleIntervalMs: 1000, maxSamples: 16 } });
    const c = sim.metrics.counter('ticks');
    for (let t = 1; t <= 100; t++) sim.queue.schedule(t * 1000 - 1, () => c.add());
    sim.runUntil(100_000);
    const [s] = sim.metrics.series();
    expect(s!.values.length).toBeLessThanOrEqual(16);
    expect(s!.intervalMs).toBe(8000);
    expect(s!.timesMs.at(-1)).toBe(96_000);
    expect(s!.values.at(-1)).toBe(96); // ticks fired before 96 s
  });

  it('refuses a name reused for another kind', () => {
    const sim = createSimulation({ seed: 1 });
    sim.metrics.counter('x');
    expect(() => sim.metrics.gauge('x')).toThrow('metrics.gauge: name must be a name not already used by a counter, got "x"');
  });
});
