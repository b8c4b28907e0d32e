/**
 * Your own machine beside Stampede's actors: an SRE bot that samples the
 * connected fraction every 30 s and, after it has stayed below a threshold for
 * `patienceMs`, asks the router deployment to roll back (the same message the
 * timeline sends), then waits for the fleet to come back.
 *
 * It only talks through the kernel: `portOf(self).send(...)` to the router's
 * deployment controller, and a message to itself as its sampling timer.
 */
import { portOf } from '@stampede/kernel';
import { assign, setup } from 'xstate';

export interface RollbackBotInput {
  /** reads the fleet's connected fraction (0..1) */
  connectedFraction: () => number;
  /** actor id of the router deployment controller */
  routerController: string;
  threshold: number;
  patienceMs: number;
}

export const rollbackBot = setup({
  types: {
    input: {} as RollbackBotInput,
    context: {} as RollbackBotInput & { belowSinceMs: number; outOfPatience: boolean; rolledBackAtMs: number },
    events: {} as { type: 'SAMPLE' },
  },
  actions: {
    scheduleSample: ({ self }) => portOf(self).send(self.id, { type: 'SAMPLE' }, { latencyMs: 30_000 }),
    track: assign(({ context, self }) => {
      const now = portOf(self).now;
      const belowSinceMs = context.connectedFraction() >= context.threshold ? -1 : context.belowSinceMs >= 0 ? context.belowSinceMs : now;
      return { belowSinceMs, outOfPatience: belowSinceMs >= 0 && now - belowSinceMs >= context.patienceMs };
    }),
    rollBack: assign({
      rolledBackAtMs: ({ context, self }) => {
        const port = portOf(self);
        port.log.warn({ connected: context.connectedFraction() }, 'fleet below threshold: rolling the router back');
        port.send(context.routerController, { type: 'ROLLBACK', label: 'rollback bot: connected fraction stayed low' });
        return port.now;
      },
    }),
  },
  guards: {
    // guards get no `self` (so no clock): `track` computes the decision into context
    outOfPatience: ({ context }) => context.outOfPatience,
  },
}).createMachine({
  id: 'rollback-bot',
  context: ({ input }) => ({ ...input, belowSinceMs: -1, outOfPatience: false, rolledBackAtMs: -1 }),
  initial: 'watching',
  states: {
    watching: {
      entry: 'scheduleSample',
      always: { guard: 'outOfPatience', target: 'rolledBack', actions: 'rollBack' },
      on: { SAMPLE: { target: 'watching', reenter: true, actions: 'track' } },
    },
    rolledBack: {},
  },
});
