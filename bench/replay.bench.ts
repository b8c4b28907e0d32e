/**
 * Replay benchmark: the Prod4 incident at fleet scale, over 2 simulated hours.
 * Prints wall time, events, heap, and one JSON line per fleet size:
 * {"bench":"replay","delegates":…,"simulatedSec":…,"wallSec":…,"events":…,"heapMB":…}
 * Sizes: BENCH_REPLAY_SIZES (default 10000; 50000 takes tens of minutes today).
 */
import { prod4Incident, runPlatform } from '@stampede/model';

const gc = (globalThis as { gc?: () => void }).gc;
const sizes = (process.env.BENCH_REPLAY_SIZES ?? '10000').split(',').map(Number);
const simulatedMs = 2 * 60 * 60_000;

for (const delegates of sizes) {
  gc?.();
  const params = prod4Incident({ delegates });
  params.durationMs = simulatedMs;
  let peakHeap = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const r = runPlatform(params, {
    seed: 1,
    onProgress: () => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    },
  });
  const wallSec = Number(process.hrtime.bigint() - start) / 1e9;
  const heapMB = Math.round(peakHeap / 2 ** 20);
  const s = r.summary;
  console.log(
    `replay: ${delegates} delegates, ${simulatedMs / 1000} simulated s in ${wallSec.toFixed(1)} s wall, ${s.events} events ` +
      `(${Math.round(s.events / wallSec / 1000)} k ev/s), peak heap ${heapMB} MB, storm ${s.firstRecoveredAtMs === undefined ? 'never recovered' : `recovered at ${(s.firstRecoveredAtMs / 60_000).toFixed(1)} min`}, hash ${s.traceHash}`,
  );
  console.log(
    JSON.stringify({
      bench: 'replay',
      delegates,
      simulatedSec: simulatedMs / 1000,
      wallSec: Number(wallSec.toFixed(2)),
      events: s.events,
      heapMB,
    }),
  );
}
