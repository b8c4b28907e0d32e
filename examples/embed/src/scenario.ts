/**
 * The embedding scenario: 20 clients, one server that is overloaded from
 * 60 s to 120 s. Returns what happened, per 10 s window.
 */
import { createSimulation } from '@stampede/kernel';
import { client, server } from './machines.ts';

export interface EmbedResult {
  seed: number;
  traceHash: string;
  events: number;
  /** per 10 s window: [start s, clients with open breakers, successful calls so far] */
  timeline: [number, number, number][];
}

export function runEmbed(seed: number, clients = 20): EmbedResult {
  const sim = createSimulation({ seed, network: { minLatencyMs: 1, maxLatencyMs: 20 } });
  sim.spawn(server, { id: 'server' });
  const ids = Array.from({ length: clients }, (_, i) => `client-${i}`);
  for (const id of ids) sim.spawn(client, { id, input: { server: 'server' } });
  sim.queue.schedule(60_000, () => sim.send('operator', 'server', { type: 'OVERLOAD' }, { latencyMs: 0 }));
  sim.queue.schedule(120_000, () => sim.send('operator', 'server', { type: 'RECOVER' }, { latencyMs: 0 }));

  const timeline: [number, number, number][] = [];
  let events = 0;
  for (let t = 10_000; t <= 180_000; t += 10_000) {
    events += sim.runUntil(t);
    const snaps = ids.map((id) => sim.actors.get<typeof client>(id).getSnapshot());
    timeline.push([t / 1000, snaps.filter((s) => s.matches('open')).length, snaps.reduce((n, s) => n + s.context.ok, 0)]);
  }
  return { seed, traceHash: sim.trace.hash, events, timeline };
}
