/**
 * Bounding what is resident (docs/adr/0155-resident-groups.md): the baseline's child stays
 * loaded for the whole run, submissions are admitted (started, loaded, judged) until
 * `resident` of them are alive, that group is interleaved with the baseline, its children are
 * stopped, and the next group is admitted. Block numbers run on across groups, so a
 * submission's (block, input) keys pair only with the baseline samples taken beside it, in
 * the same baseline session. A submission rejected while admitted has already stopped its
 * child and does not count against the bound.
 */
import type { Contestant, ResidentGroup } from './measure.js';

/** What the group loop needs from the protocol; run.ts wires it to prepare/interleave/finish. */
export interface GroupSteps<T> {
  /** Starts, loads and judges one submission; the contestant may come back already dead. */
  readonly admit: (item: T) => Promise<Contestant>;
  /** Interleaves `members` (baseline first) from block `firstBlock`; returns the blocks run. */
  readonly measure: (
    members: readonly Contestant[],
    group: number,
    firstBlock: number,
  ) => Promise<number>;
  /** Stops the group's children (after their memory readings). */
  readonly release: (members: readonly Contestant[]) => Promise<void>;
}

/**
 * Measures `pending` in groups of at most `resident` live submissions beside `base`, in
 * order. With no submission alive at all, the baseline is still measured once on its own.
 * Returns the groups run. Throws RangeError unless `resident` is an integer ≥ 1; whatever a
 * step throws (a broken baseline or runner) propagates, the caller stops what is left.
 */
export async function measureInGroups<T>(
  base: Contestant,
  pending: readonly T[],
  resident: number,
  steps: GroupSteps<T>,
): Promise<ResidentGroup[]> {
  if (!Number.isInteger(resident) || resident < 1) {
    throw new RangeError(`residentSubmissions must be an integer ≥ 1 (got ${resident})`);
  }
  const groups: ResidentGroup[] = [];
  let next = 0;
  let firstBlock = 0;
  do {
    const live: Contestant[] = [];
    while (next < pending.length && live.length < resident) {
      const c = await steps.admit(pending[next++] as T);
      if (c.alive()) live.push(c);
    }
    if (live.length === 0 && groups.length > 0) break;
    const index = groups.length;
    const blocks = await steps.measure([base, ...live], index, firstBlock);
    const group: ResidentGroup = { index, firstBlock, blocks };
    for (const c of live) c.group = group;
    groups.push(group);
    await steps.release(live);
    firstBlock += blocks;
  } while (next < pending.length);
  return groups;
}
