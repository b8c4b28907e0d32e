/**
 * The Prod4 incident with the rollback bot instead of the manual rollback.
 */
import { buildPlatform, prod4Incident, ROUTER_CONTROLLER } from '@stampede/model';
import { rollbackBot } from './rollback-bot.ts';

export interface BotResult {
  traceHash: string;
  rolledBackAtMin: number | undefined;
  /** connected fraction at each whole minute */
  connectedByMinute: number[];
}

export function runWithBot(seed: number, delegates = 2000): BotResult {
  const params = prod4Incident({ delegates });
  params.timeline = params.timeline.filter((e) => e.kind !== 'rollback'); // the bot decides
  params.durationMs = 45 * 60_000;
  const platform = buildPlatform(params, seed);
  const connectedFraction = () => platform.connectedFraction();
  const bot = platform.sim.spawn(rollbackBot, {
    id: 'rollback-bot',
    input: { connectedFraction, routerController: ROUTER_CONTROLLER, threshold: 0.9, patienceMs: 5 * 60_000 },
  });
  const connectedByMinute: number[] = [];
  for (let m = 1; m * 60_000 <= params.durationMs; m++) {
    platform.sim.runUntil(m * 60_000);
    connectedByMinute.push(connectedFraction());
  }
  const at = bot.getSnapshot().context.rolledBackAtMs;
  return { traceHash: platform.sim.trace.hash, rolledBackAtMin: at < 0 ? undefined : at / 60_000, connectedByMinute };
}
