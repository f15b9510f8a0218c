/**
 * Test helpers for timelocked commits on the local chain: the real quicknet round-1000 pulse,
 * moving to an epoch the runtime reveals in, setting the clock so a commit's reveal round is a
 * round whose signature we hold, and writing the pulse into `Drand.Pulses` (what the drand
 * pallet's offchain worker does on a live chain).
 */
import { devNewBlock, devSetStorage, devTimeTravel } from './dev.js';
import type { WeightsDocument } from '../documents/weights.js';
import type { ChainFixture } from './testing.js';
import { QUICKNET } from './timelock.js';

/** Drand quicknet round 1000 (api.drand.sh/52db9ba7…/public/1000; Subtensor's drand pallet tests). */
export const QUICKNET_ROUND_1000 = {
  round: 1000,
  signature:
    'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
} as const;

/** Block-driven steps for a subnet of tempo `tempo` on `fx`'s chain. */
export function timelockStage(fx: ChainFixture, tempo: number) {
  const head = async () => (await fx.api.rpc.chain.getHeader()).number.toNumber();
  const epochOf = (block: number) => Math.floor((block + fx.subnet.netuid + 1) / (tempo + 1));
  /** Builds `count` blocks one call at a time, so each RPC waits for one block only. */
  const advance = async (count: number) => {
    for (let i = 0; i < count; i += 1) await devNewBlock(fx.api, 1);
  };
  return {
    head,
    advance,
    /**
     * Moves to the start of an epoch ≥ 2 (spec 293 reveals nothing before epoch 2), then sets
     * the clock so that the reveal block of a commit sent now falls on `round`'s drand time.
     */
    async prepareCommitFor(round: number): Promise<void> {
      const { netuid } = fx.subnet;
      let now = await head();
      const start = Math.max(2, epochOf(now) + 1) * (tempo + 1) - (netuid + 1);
      if (start > now) await advance(start - now);
      now = await head();
      const revealBlock = (epochOf(now) + 1) * (tempo + 1) - (netuid + 1);
      const roundMs = (QUICKNET.genesisTime + round * QUICKNET.periodSeconds) * 1000;
      await devTimeTravel(fx.api, roundMs - (revealBlock - now) * fx.chain.slotDurationMs);
    },
    /** Writes a pulse for `round` carrying `signature` into Drand.Pulses. */
    async injectPulse(round: number, signature: string): Promise<void> {
      const pulse = { round, randomness: `0x${'00'.repeat(32)}`, signature: `0x${signature}` };
      await devSetStorage(fx.api, { Drand: { Pulses: [[[round], pulse]] } });
    },
    /** Builds blocks until the commit's expected reveal block. */
    async revealBlockPassed(doc: WeightsDocument): Promise<void> {
      const remaining = doc.timelock!.expectedRevealBlock - (await head());
      if (remaining > 0) await advance(remaining);
    },
  };
}
