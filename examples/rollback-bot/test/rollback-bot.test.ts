import { describe, expect, it } from 'vitest';
import { runWithBot } from '../src/scenario.ts';

describe('a user machine embedded beside the platform actors', () => {
  it('rolls the router back about 5 minutes into the storm, and the fleet recovers long before the incident did', () => {
    const r = runWithBot(1);
    expect(r.rolledBackAtMin).toBeGreaterThan(15);
    expect(r.rolledBackAtMin).toBeLessThan(20);
    expect(Math.max(...r.connectedByMinute.slice(12, 15))).toBeLessThan(0.5); // the storm it reacted to
    expect(r.connectedByMinute.at(-1)).toBeGreaterThanOrEqual(0.99); // back by 45 min (the incident: 53+)
  });
});
