/**
 * The determinism witness: a rolling 64-bit hash over every delivered message
 * and every actor state change, plus an optional full record of them.
 *
 * The hash is always on and costs a few integer multiplies per record. It
 * covers virtual time, actor ids, event types and state values only: never
 * xstate session ids (a process-wide counter) or anything from the wall clock.
 */

import { type Observable, Subject } from 'rxjs';
import { forkBlank } from './fork-graph.ts';
import { hashString } from './random.ts';

export type TraceRecord =
  // sentAtMs (not hashed) lets a subscriber pair a delivery or drop with its send, e.g. as a trace flow
  | { kind: 'deliver'; timeMs: number; from: string; to: string; type: string; sentAtMs: number }
  | { kind: 'drop'; timeMs: number; from: string; to: string; type: string; reason: DropReason; sentAtMs: number }
  | { kind: 'state'; timeMs: number; actor: string; value: string }
  | { kind: 'lifecycle'; timeMs: number; actor: string; change: 'spawn' | 'stop' | 'crash' | 'restart' };

export type DropReason = 'loss' | 'partition' | 'no-recipient';

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

export class Trace {
  private a = 0x243f6a88;
  private b = 0x85a308d3;
  private records: TraceRecord[] | undefined;
  private readonly stringHashes = new Map<string, number>();
  private subject: Subject<TraceRecord> | undefined;
  /** Records folded into the hash so far. */
  count = 0;

  constructor(keepFullTrace = false) {
    if (keepFullTrace) this.records = [];
  }

  /** The hash so far as 16 hex digits. */
  get hash(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }

  /** The full trace, if it was kept (`keepFullTrace: true`). */
  get full(): readonly TraceRecord[] | undefined {
    return this.records;
  }

  /** Every trace record as it happens. Building records costs only while subscribed. */
  get records$(): Observable<TraceRecord> {
    return (this.subject ??= new Subject<TraceRecord>()).asObservable();
  }

  /** True when someone wants record objects (full trace or a subscriber). */
  get wantsRecords(): boolean {
    return this.records !== undefined || (this.subject?.observed ?? false);
  }

  emit(record: TraceRecord): void {
    this.records?.push(record);
    this.subject?.next(record);
  }

  /** Hash of a string, memoised (ids and event types repeat endlessly). */
  str(text: string): number {
    let h = this.stringHashes.get(text);
    if (h === undefined) {
      h = hashString(text);
      if (this.stringHashes.size < 100_000) this.stringHashes.set(text, h);
    }
    return h;
  }

  /** Folds one record given as (kind code, time, three already-hashed fields). */
  fold(kind: number, timeMs: number, x: number, y: number, z: number): void {
    f64[0] = timeMs;
    this.mix(kind);
    this.mix(i32[0]!);
    this.mix(i32[1]!);
    this.mix(x);
    this.mix(y);
    this.mix(z);
    this.count++;
  }

  private mix(v: number): void {
    let a = Math.imul(this.a ^ v, 0x9e3779b1);
    a = (a << 13) | (a >>> 19);
    let b = Math.imul(this.b ^ v, 0x85ebca77);
    b = (b << 17) | (b >>> 15);
    this.a = (a + b) | 0;
    this.b = (b ^ a) | 0;
  }
}

export const TRACE_DELIVER = 1;
export const TRACE_DROP = 2;
export const TRACE_STATE = 3;
export const TRACE_LIFECYCLE = 4;

// a fork copies the trace into an instance the constructor made (fork-graph.ts, forkBlank)
forkBlank(Trace, () => new Trace());
