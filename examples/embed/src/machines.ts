/**
 * A user's own machines, written with plain xstate and hosted on the kernel.
 *
 * A client calls a server every second. The server slows down while it is
 * overloaded. The client times out after 500 ms and, after three failures in
 * a row, opens its circuit breaker for 10 s, then probes with one call.
 * The only kernel-specific code: messages go through `send(...)`/`portOf`,
 * never `sendTo`, so they cross the simulated network on virtual time.
 */
import { portOf, send } from '@stampede/kernel';
import { assign, setup } from 'xstate';

export const client = setup({
  types: {
    context: {} as { server: string; failures: number; ok: number; timeouts: number; seq: number },
    input: {} as { server: string },
    events: {} as { type: 'REPLY'; seq: number },
  },
  guards: {
    current: ({ context, event }) => event.seq === context.seq,
    tripped: ({ context }) => context.failures >= 3,
  },
}).createMachine({
  id: 'client',
  context: ({ input }) => ({ server: input.server, failures: 0, ok: 0, timeouts: 0, seq: 0 }),
  initial: 'idle',
  states: {
    idle: { after: { 1000: 'calling' } },
    calling: {
      entry: [
        assign({ seq: ({ context }) => context.seq + 1 }),
        send(
          ({ context }) => context.server,
          ({ context, self }) => ({ type: 'CALL', seq: context.seq, from: self.id }),
        ),
      ],
      on: {
        REPLY: { guard: 'current', target: 'idle', actions: assign({ failures: 0, ok: ({ context }) => context.ok + 1 }) },
      },
      after: {
        500: [
          { guard: 'tripped', target: 'open', actions: assign({ timeouts: ({ context }) => context.timeouts + 1 }) },
          {
            target: 'idle',
            actions: assign({ failures: ({ context }) => context.failures + 1, timeouts: ({ context }) => context.timeouts + 1 }),
          },
        ],
      },
    },
    open: { after: { 10000: { target: 'calling', actions: assign({ failures: 2 }) } } }, // half-open: one failure re-opens
  },
});

export const server = setup({
  types: {
    context: {} as { overloaded: boolean },
    events: {} as { type: 'CALL'; seq: number; from: string } | { type: 'OVERLOAD' } | { type: 'RECOVER' },
  },
  actions: {
    reply: ({ context, event, self }) => {
      if (event.type !== 'CALL') return;
      const port = portOf(self);
      // overloaded: 400-2000 ms service time; healthy: 5-50 ms
      const serviceMs = context.overloaded ? port.random.uniform(400, 2000) : port.random.uniform(5, 50);
      port.send(event.from, { type: 'REPLY', seq: event.seq }, { latencyMs: serviceMs });
    },
  },
}).createMachine({
  id: 'server',
  context: { overloaded: false },
  on: {
    CALL: { actions: 'reply' },
    OVERLOAD: { actions: assign({ overloaded: true }) },
    RECOVER: { actions: assign({ overloaded: false }) },
  },
});
