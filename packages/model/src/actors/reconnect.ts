/**
 * Reconnect wait of a delegate after a failed or closed socket, per policy.
 * `attempt` counts consecutive failures (0 for the first reconnect).
 */
import type { RandomStream } from '@stampede/kernel';
import type { ReconnectPolicy } from '../params.ts';

const FIB_MS = [1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144].map((s) => s * 1000);

export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number, previousMs: number, random: RandomStream): number {
  switch (policy.kind) {
    case 'fixed':
      return policy.delayMs;
    case 'fibonacci':
      return Math.min(policy.capMs, FIB_MS[Math.min(attempt, FIB_MS.length - 1)]!);
    case 'exponential-full-jitter':
      return random.fullJitter(policy.baseMs, policy.capMs, Math.min(attempt, 40));
    case 'exponential-decorrelated-jitter':
      return random.decorrelatedJitter(policy.baseMs, policy.capMs, Math.max(policy.baseMs, previousMs));
  }
}
