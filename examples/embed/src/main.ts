/**
 * Host your own xstate machines on the kernel: 20 clients with circuit breakers against an overloaded server.
 * Usage: pnpm --filter @stampede/example-embed start [--seed N]
 */
import { parseArgs } from 'node:util';
import { runEmbed } from './scenario.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' } } });
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
  console.error(`--seed must be an integer between 0 and 4294967295, got ${JSON.stringify(values.seed)}`);
  process.exit(2);
}
console.log(`stampede embed example: seed ${seed}, 20 clients with circuit breakers, server overloaded 60-120 s`);
const r = runEmbed(seed);
console.log(' time  open breakers  successful calls');
for (const [t, open, ok] of r.timeline)
  console.log(`${String(t).padStart(4)}s  ${'#'.repeat(open).padEnd(20)} ${String(open).padStart(2)}  ${ok}`);
console.log(`events ${r.events}, trace hash ${r.traceHash}`);
console.log(`replay: pnpm --filter @stampede/example-embed start --seed ${seed}`);
