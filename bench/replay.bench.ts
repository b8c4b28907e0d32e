/**
 * Replay benchmark: the Prod4 incident at fleet scale, over 2 simulated hours,
 * on the compiled engine at each size, and on the xstate engine at the first
 * size as the reference (same seed: the trace hashes must be equal, and the
 * speed-up is a ratio measured in one run).
 * Prints one line and one JSON line per run:
 * {"bench":"replay","engine":…,"delegates":…,"simulatedSec":…,"wallSec":…,"events":…,"heapMB":…}
 * then {"bench":"replay-speedup","delegates":…,"speedup":…}.
 * Knobs: BENCH_REPLAY_SIZES (default 10000,50000), BENCH_REPLAY_REFERENCE=0 to skip the xstate run.
 */
import type { EngineName } from '@stampede/kernel';
import { prod4Incident, runPlatform } from '@stampede/model';
import { xstateBuild } from './xstate-build.ts';

const gc = (globalThis as { gc?: () => void }).gc;
const sizes = (process.env.BENCH_REPLAY_SIZES ?? '10000,50000').split(',').map(Number);
const reference = process.env.BENCH_REPLAY_REFERENCE !== '0';
const simulatedMs = 2 * 60 * 60_000;

function replay(delegates: number, engine: EngineName): { wallSec: number; hash: string } {
  gc?.();
  const params = prod4Incident({ delegates });
  params.durationMs = simulatedMs;
  let peakHeap = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const r = runPlatform(params, {
    seed: 1,
    engine,
    onProgress: () => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    },
  });
  const wallSec = Number(process.hrtime.bigint() - start) / 1e9;
  const heapMB = Math.round(peakHeap / 2 ** 20);
  const s = r.summary;
  console.log(
    `replay (${engine}): ${delegates} delegates, ${simulatedMs / 1000} simulated s in ${wallSec.toFixed(1)} s wall, ${s.events} events ` +
      `(${Math.round(s.events / wallSec / 1000)} k ev/s), peak heap ${heapMB} MB, storm ${s.firstRecoveredAtMs === undefined ? 'never recovered' : `recovered at ${(s.firstRecoveredAtMs / 60_000).toFixed(1)} min`}, hash ${s.traceHash}`,
  );
  console.log(
    JSON.stringify({
      bench: 'replay',
      engine,
      delegates,
      simulatedSec: simulatedMs / 1000,
      wallSec: Number(wallSec.toFixed(2)),
      events: s.events,
      heapMB,
    }),
  );
  return { wallSec, hash: s.traceHash };
}

console.log(`replay bench: the Prod4 incident over ${simulatedMs / 60_000} simulated minutes; ${xstateBuild()}`);
const compiled = sizes.map((d) => replay(d, 'compiled'));
if (reference) {
  const ref = replay(sizes[0]!, 'xstate');
  if (ref.hash !== compiled[0]!.hash) throw new Error(`replay bench: engines disagree: ${compiled[0]!.hash} vs ${ref.hash}`);
  const speedup = ref.wallSec / compiled[0]!.wallSec;
  console.log(`replay: compiled engine ${speedup.toFixed(1)}x faster than xstate at ${sizes[0]} delegates (same trace hash)`);
  console.log(JSON.stringify({ bench: 'replay-speedup', delegates: sizes[0], speedup: Number(speedup.toFixed(2)) }));
}
