/**
 * Forking a simulation: a copy that runs on from the same instant, to the same
 * trace hash as the original would, without touching the original. What-if
 * branches run the shared past once and fork it per branch.
 *
 * A fork is a copy of the whole object graph (fork-graph.ts): the queue with
 * every pending event and message, every actor's state, the random streams
 * mid-sequence, the trace hash so far, the metrics' series. Only compiled
 * actors can be copied: a machine on xstate's interpreter keeps its state in
 * closures. `whyNotForkable` says why a simulation cannot be forked, and the
 * caller runs the branch from scratch instead.
 *
 * ```ts
 * sim.queue.runBefore(15 * 60_000);
 * const { sim: branch } = forkSimulation(sim);
 * branch.send('ops', 'deploy-router', { type: 'ROLLBACK' });
 * branch.runUntil(90 * 60_000);   // sim is still at 15 minutes
 * ```
 */
import type { ActorHost } from './actor-host.ts';
import { copyGraph, findUnforkable, NotForkableError } from './fork-graph.ts';
import { createLogger } from './logger.ts';
import { loggingOf, type Simulation } from './simulation.ts';

export { BLANK, bindForFork, FORK_RESETS, forkBlank, forkSafe, NotForkableError, shareAcrossForks } from './fork-graph.ts';

function enginesProblem(sim: Simulation): string | undefined {
  const host = sim.actors as ActorHost;
  for (const id of host.ids()) {
    if (host.engineOf(id) === 'xstate') {
      return sim.engine === 'xstate'
        ? `the simulation runs its machines on xstate (engine: 'xstate'), whose actors keep their state in closures; only the compiled engine can be forked`
        : `actor '${id}' runs on xstate (its machine does not compile: see whyNotCompiled), whose actors keep their state in closures`;
    }
  }
  if (host.inspected) return 'someone subscribes to sim.actors.inspection$: a fork cannot copy a subscriber';
  return undefined;
}

/**
 * Why `sim` cannot be forked now (the first thing found, with where it sits), or undefined when it can. Walks the whole
 * graph: for a check or a test, not for every fork (`forkSimulation` fails with the same words when it must).
 */
export function whyNotForkable(sim: Simulation): string | undefined {
  return enginesProblem(sim) ?? findUnforkable(sim, 'sim', new Set([sim.logger]));
}

/**
 * A copy of `sim`, and of `carry` (anything reachable from the simulation, or beside it, that the caller needs in the
 * copy: the platform's state, say), with everything they share kept shared. The copy has its own logger, made as the
 * original's was. Throws NotForkableError saying why when it cannot (see whyNotForkable).
 *
 * Fork between events, not from inside an action.
 */
export function forkSimulation<T = undefined>(sim: Simulation, carry?: T): { sim: Simulation; carry: T } {
  const problem = enginesProblem(sim);
  if (problem !== undefined) throw new NotForkableError(`cannot fork: ${problem}`);
  const clock = { queue: undefined as Simulation['queue'] | undefined };
  const logging = loggingOf.get(sim) ?? {};
  const logger = createLogger(() => clock.queue?.now ?? 0, { ...logging, level: sim.logger.level as never });
  const memo = new Map<unknown, unknown>([[sim.logger, logger]]);
  let copied: { sim: Simulation; carry: T };
  try {
    copied = copyGraph({ sim, carry: carry as T }, memo);
  } catch (err) {
    if (!(err instanceof NotForkableError)) throw err;
    const where = findUnforkable({ sim, carry }, 'fork', new Set([sim.logger]));
    throw new NotForkableError(`cannot fork: ${where ?? err.message}`);
  }
  clock.queue = copied.sim.queue;
  loggingOf.set(copied.sim, logging);
  (copied.sim.actors as ActorHost).watchLogLevels();
  return copied;
}
