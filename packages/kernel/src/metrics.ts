/**
 * Counters, gauges and histograms, sampled into fixed-interval time series.
 *
 * Sampling rides on the event queue's clock advance (no timer events), so an
 * idle simulation stays idle and metrics never change the trace. Each series
 * is a typed array of at most `maxSamples` points: when a long run fills it,
 * neighbouring points are merged and the interval doubles, so memory stays
 * bounded however long the run.
 */
import { checkId, checkInteger, checkPositive, KernelInputError } from './errors.ts';
import type { EventQueue } from './event-queue.ts';
import { BLANK, bindForFork, forkBlank } from './fork-graph.ts';

export interface MetricsOptions {
  /** Time between samples, in virtual ms. @defaultValue 1000 */
  sampleIntervalMs?: number;
  /** Most samples kept per series before halving resolution. Even, >= 16. @defaultValue 8192 */
  maxSamples?: number;
}

export interface Counter {
  readonly name: string;
  /** Total so far. */
  readonly value: number;
  add(n?: number): void;
}

export interface Gauge {
  readonly name: string;
  readonly value: number;
  set(value: number): void;
  add(delta: number): void;
}

export interface Histogram {
  readonly name: string;
  /** Values recorded since the start. */
  readonly count: number;
  record(value: number): void;
  /** Quantile (0..1) over every value recorded since the start (about 9% resolution). */
  quantile(q: number): number;
}

/** One sampled series: `values[i]` is the metric at `startMs + (i + 1) * intervalMs`. */
export interface Series {
  readonly name: string;
  readonly kind: 'counter' | 'gauge' | 'histogram-p50' | 'histogram-p99' | 'histogram-count';
  readonly intervalMs: number;
  readonly timesMs: Float64Array;
  readonly values: Float64Array;
}

// Log-linear buckets: 8 per power of two, about 9% relative width.
const SUB = 8;
const bucketOf = (v: number) => (v <= 0 ? 0 : Math.floor(Math.log2(v + 1) * SUB));
const bucketMid = (b: number) => 2 ** ((b + 0.5) / SUB) - 1;
const NBUCKETS = 64 * SUB;

function quantileOf(buckets: Uint32Array, total: number, q: number): number {
  if (total === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let b = 0; b < buckets.length; b++) {
    seen += buckets[b]!;
    if (seen >= rank) return bucketMid(b);
  }
  return Number.NaN;
}

class CounterImpl implements Counter {
  value = 0;
  constructor(readonly name: string) {}
  add(n = 1): void {
    this.value += n;
  }
}

class GaugeImpl implements Gauge {
  value = 0;
  constructor(readonly name: string) {}
  set(value: number): void {
    this.value = value;
  }
  add(delta: number): void {
    this.value += delta;
  }
}

class HistogramImpl implements Histogram {
  count = 0;
  readonly all = new Uint32Array(NBUCKETS);
  readonly window = new Uint32Array(NBUCKETS);
  windowCount = 0;
  constructor(readonly name: string) {}
  record(value: number): void {
    if (!(value >= 0)) throw new KernelInputError(`histogram ${this.name}.record`, 'value', value, 'a number >= 0');
    const b = Math.min(NBUCKETS - 1, bucketOf(value));
    this.all[b]!++;
    this.window[b]!++;
    this.count++;
    this.windowCount++;
  }
  quantile(q: number): number {
    return quantileOf(this.all, this.count, q);
  }
  /** Quantile over the values recorded since the last sample; resets the window when `reset`. */
  windowQuantile(q: number): number {
    return quantileOf(this.window, this.windowCount, q);
  }
  resetWindow(): void {
    this.window.fill(0);
    this.windowCount = 0;
  }
}

// a column's reader, bound to its instrument (bindForFork: a fork reads its own copy)
const readValue = (m: { value: number }): number => m.value;
const windowQuantileOf = (h: HistogramImpl, q: number): number => h.windowQuantile(q);
const windowCountOf = (h: HistogramImpl): number => h.windowCount;

interface Column {
  name: string;
  kind: Series['kind'];
  read: () => number;
  /** how two neighbouring samples merge when resolution halves */
  merge: 'last' | 'mean' | 'max' | 'sum';
  values: Float64Array;
}

export class Metrics {
  readonly intervalMs0: number;
  private intervalMs: number;
  /** most samples kept per series before resolution halves */
  readonly maxSamples: number;
  private readonly columns: Column[] = [];
  private readonly byName = new Map<string, CounterImpl | GaugeImpl | HistogramImpl>();
  private readonly histograms: HistogramImpl[] = [];
  private samples = 0;
  private nextSampleMs: number;
  private readonly startMs: number;

  constructor(queue: EventQueue, options: MetricsOptions = {}) {
    if ((queue as unknown) === BLANK) {
      // a fork's blank copy (forkBlank below): the fork fills in every field
      this.intervalMs0 = this.intervalMs = this.maxSamples = this.nextSampleMs = this.startMs = 0;
      return;
    }
    this.intervalMs0 = checkPositive('createSimulation', 'metrics.sampleIntervalMs', options.sampleIntervalMs ?? 1000);
    this.intervalMs = this.intervalMs0;
    const max = checkInteger('createSimulation', 'metrics.maxSamples', options.maxSamples ?? 8192, 16);
    if (max % 2 !== 0) throw new KernelInputError('createSimulation', 'metrics.maxSamples', max, 'an even integer >= 16');
    this.maxSamples = max;
    this.startMs = queue.now;
    this.nextSampleMs = queue.now + this.intervalMs;
    queue.onAdvance(bindForFork(Metrics.prototype.sampleUpTo, this));
  }

  /** the queue's advance hook: every sample due by `toMs` (bound for forks: a fork samples its own metrics) */
  private sampleUpTo(_fromMs: number, toMs: number): void {
    while (this.nextSampleMs <= toMs) this.sample();
  }

  counter(name: string): Counter {
    return this.getOrCreate(name, 'counter', () => {
      const c = new CounterImpl(name);
      this.addColumn(name, 'counter', bindForFork(readValue, undefined, c), 'last');
      return c;
    }) as Counter;
  }

  gauge(name: string): Gauge {
    return this.getOrCreate(name, 'gauge', () => {
      const g = new GaugeImpl(name);
      this.addColumn(name, 'gauge', bindForFork(readValue, undefined, g), 'mean');
      return g;
    }) as Gauge;
  }

  histogram(name: string): Histogram {
    return this.getOrCreate(name, 'histogram', () => {
      const h = new HistogramImpl(name);
      this.histograms.push(h);
      this.addColumn(`${name}.p50`, 'histogram-p50', bindForFork(windowQuantileOf, undefined, h, 0.5), 'max');
      this.addColumn(`${name}.p99`, 'histogram-p99', bindForFork(windowQuantileOf, undefined, h, 0.99), 'max');
      this.addColumn(`${name}.count`, 'histogram-count', bindForFork(windowCountOf, undefined, h), 'sum');
      return h;
    }) as Histogram;
  }

  /** The sampled series so far, one per counter and gauge, three per histogram. */
  series(): Series[] {
    const n = this.samples;
    const timesMs = new Float64Array(n);
    for (let i = 0; i < n; i++) timesMs[i] = this.startMs + (i + 1) * this.intervalMs;
    return this.columns.map((c) => ({
      name: c.name,
      kind: c.kind,
      intervalMs: this.intervalMs,
      timesMs,
      values: c.values.slice(0, n),
    }));
  }

  /** Current sampling interval (doubles each time a long run fills the series). */
  get sampleIntervalMs(): number {
    return this.intervalMs;
  }

  private getOrCreate(name: string, kind: string, make: () => CounterImpl | GaugeImpl | HistogramImpl) {
    checkId(`metrics.${kind}`, 'name', name);
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      const existingKind = existing instanceof CounterImpl ? 'counter' : existing instanceof GaugeImpl ? 'gauge' : 'histogram';
      if (existingKind !== kind) {
        throw new KernelInputError(`metrics.${kind}`, 'name', name, `a name not already used by a ${existingKind}`);
      }
      return existing;
    }
    const made = make();
    this.byName.set(name, made);
    return made;
  }

  private addColumn(name: string, kind: Series['kind'], read: () => number, merge: Column['merge']): void {
    const values = new Float64Array(this.maxSamples);
    // a metric created mid-run reads 0 (NaN for quantiles) before it existed
    values.fill(kind === 'histogram-p50' || kind === 'histogram-p99' ? Number.NaN : 0, 0, this.samples);
    this.columns.push({ name, kind, read, merge, values });
  }

  private sample(): void {
    if (this.samples === this.maxSamples) this.halve();
    const i = this.samples++;
    for (const c of this.columns) c.values[i] = c.read();
    for (const h of this.histograms) h.resetWindow();
    this.nextSampleMs = this.startMs + (this.samples + 1) * this.intervalMs;
  }

  private halve(): void {
    const half = this.maxSamples / 2;
    for (const c of this.columns) {
      const v = c.values;
      for (let i = 0; i < half; i++) {
        const a = v[2 * i]!;
        const b = v[2 * i + 1]!;
        v[i] = c.merge === 'last' ? b : c.merge === 'sum' ? a + b : c.merge === 'max' ? (a > b || Number.isNaN(b) ? a : b) : (a + b) / 2;
      }
    }
    this.samples = half;
    this.intervalMs *= 2;
  }
}

// a fork copies the instruments into instances the constructors made (fork-graph.ts, forkBlank)
forkBlank(CounterImpl, () => new CounterImpl(''));
forkBlank(GaugeImpl, () => new GaugeImpl(''));
forkBlank(HistogramImpl, () => new HistogramImpl(''));
forkBlank(Metrics, () => new Metrics(BLANK as never));
