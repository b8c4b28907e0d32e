/**
 * Reconnect wait of a delegate after a failed or closed socket, per policy.
 * `attempt` counts consecutive failures (0 for the first reconnect).
 */
import type { RandomStream } from '@stampede/kernel';
import type { ReconnectPolicy } from '../params.ts';

/** 1, 1, 2, 3, 5, 8 … seconds for attempts 0, 1, 2 …, up to `capMs` (the sequence goes on past 144 s when the cap does). */
export function fibonacciDelayMs(attempt: number, capMs: number): number {
  let a = 1_000;
  let b = 1_000;
  for (let i = 0; i < attempt && a < capMs; i++) [a, b] = [b, a + b];
  return Math.min(capMs, a);
}

export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number, previousMs: number, random: RandomStream): number {
  switch (policy.kind) {
    case 'fixed':
      return policy.delayMs;
    case 'fibonacci':
      return fibonacciDelayMs(attempt, policy.capMs);
    case 'exponential-full-jitter':
      return random.fullJitter(policy.baseMs, policy.capMs, Math.min(attempt, 40));
    case 'exponential-decorrelated-jitter':
      return random.decorrelatedJitter(policy.baseMs, policy.capMs, Math.max(policy.baseMs, previousMs));
  }
}
