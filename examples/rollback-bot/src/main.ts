/**
 * Usage: pnpm --filter @stampede/example-rollback-bot start [--seed N]
 */
import { parseArgs } from 'node:util';
import { runWithBot } from './scenario.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' } } });
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
  console.error(`--seed must be an integer between 0 and 4294967295, got ${JSON.stringify(values.seed)}`);
  process.exit(2);
}
const r = runWithBot(seed);
console.log(`rollback bot: seed ${seed}; the incident without the manual rollback, the bot watching`);
console.log(`rolled back at ${r.rolledBackAtMin === undefined ? 'never' : `${r.rolledBackAtMin.toFixed(1)} min`}`);
console.log(r.connectedByMinute.map((v, i) => `${i + 1}m ${(v * 100).toFixed(0)}%`).join('  '));
console.log(`trace hash ${r.traceHash}`);
