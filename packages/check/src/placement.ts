/**
 * Where the router slots were free between t₁ and the deadline: the evidence for an imbalance
 * (docs/design.md, "The oracle"). A WebSocket pins its slot for its whole life and nothing moves
 * sockets between routers, so a storm can leave one router full of sockets while the others have
 * room: every REST call load-balanced onto the full one waits for an acquire and times out, with
 * the fleet connected and no retry storm at all.
 *
 * The series hold the routers' slots summed over the fleet, which cannot show this; the oracle
 * reads each ready router's pool (`PlatformState.readyRouters`, `routerPools`) once per sample
 * interval while it runs the judged run. Reading changes nothing in the run (same trace hash).
 */
import type { Platform } from '@stampede/model';

/** One ready router with a fixed pool at one sample: its free slots and its maxConnections. */
export interface RouterSlots {
  router: string;
  free: number;
  capacity: number;
}

/** The ready routers with a fixed pool (an elastic pool is never full), in creation order. */
export function readyRouterSlots(state: Platform['state']): RouterSlots[] {
  const out: RouterSlots[] = [];
  for (const router of state.readyRouters) {
    const pool = state.routerPools.get(router);
    if (pool === undefined || pool.params.mode !== 'fixed') continue;
    const capacity = pool.params.maxConnections;
    out.push({ router, free: Math.max(0, capacity - pool.occupied), capacity });
  }
  return out;
}

export interface Placement {
  /** the ready router that had no free slot at the most samples; undefined when none was ever full */
  fullRouter: string | undefined;
  /** how many samples it was full at, and how many samples the window had */
  fullSamples: number;
  samples: number;
  /** at the samples it was full: the free slots and the capacity of the other ready routers (means), and how many they were */
  freeElsewhere: number;
  capacityElsewhere: number;
  routersElsewhere: number;
}

/** The placement evidence over the samples of a window, each the ready routers' slots at one moment. */
export function placementOf(samples: readonly (readonly RouterSlots[])[]): Placement {
  const fullAt = new Map<string, number>();
  for (const sample of samples) for (const r of sample) if (r.free === 0) fullAt.set(r.router, (fullAt.get(r.router) ?? 0) + 1);
  let fullRouter: string | undefined;
  let fullSamples = 0;
  // the first router in creation order wins a tie: a deterministic name
  for (const [router, n] of fullAt)
    if (n > fullSamples) {
      fullRouter = router;
      fullSamples = n;
    }
  let free = 0;
  let capacity = 0;
  let routers = 0;
  if (fullRouter !== undefined)
    for (const sample of samples) {
      if (!sample.some((r) => r.router === fullRouter && r.free === 0)) continue;
      for (const r of sample)
        if (r.router !== fullRouter) {
          free += r.free;
          capacity += r.capacity;
          routers++;
        }
    }
  const n = Math.max(1, fullSamples);
  return {
    fullRouter,
    fullSamples,
    samples: samples.length,
    freeElsewhere: free / n,
    capacityElsewhere: capacity / n,
    routersElsewhere: routers / n,
  };
}
