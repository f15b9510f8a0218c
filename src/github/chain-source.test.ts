import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitSubmission } from '../chain/commitments.js';
import { startChainFixture, type ChainFixture } from '../chain/testing.js';
import { onchainChecks } from '../entries/onchain.js';
import { devKey } from '../entries/testing.js';
import { connectCommitmentSource } from './chain-source.js';

const SHA = 'c'.repeat(64);
let fx: ChainFixture;

beforeAll(async () => {
  fx = await startChainFixture({ subnet: { miners: 2 } });
  await commitSubmission(fx.api, fx.minerKeys[0]!, fx.subnet.netuid, 'sr-x2-demo', SHA, {
    waitFor: 'finalized',
  });
});
afterAll(async () => {
  await fx?.close();
});

describe('the entry check against the local Subtensor chain', () => {
  it('passes a registered hotkey whose commitment names the contest and sha256, and says what is missing otherwise', async () => {
    const { source, close } = await connectCommitmentSource(fx.chain.endpoint);
    try {
      const netuid = fx.subnet.netuid;
      const subject = (hotkey: string) => ({
        contestId: 'sr-x2-demo',
        netuid,
        hotkey,
        sha256: SHA,
      });
      const [m0, m1] = fx.subnet.miners;
      const committed = await onchainChecks(subject(m0!.hotkey), source);
      expect(committed.map((c) => [c.id, c.status])).toEqual([
        ['registration', 'pass'],
        ['commitment', 'pass'],
      ]);
      expect(committed[0]?.detail).toMatch(
        new RegExp(`^uid ${m0!.uid} on netuid ${netuid} \\(ws://`),
      );

      const silent = await onchainChecks(subject(m1!.hotkey), source);
      expect(silent.map((c) => [c.id, c.status, c.detail])).toEqual([
        ['registration', 'pass', expect.stringContaining(`uid ${m1!.uid}`)],
        ['commitment', 'fail', `no commitment for ${m1!.hotkey}`],
      ]);

      const stranger = devKey('NotOnThisSubnet').address;
      const unregistered = await onchainChecks(subject(stranger), source);
      expect(unregistered[0]).toMatchObject({ id: 'registration', status: 'fail' });
      expect(unregistered[0]?.detail).toContain(`is not registered on netuid ${netuid}`);
    } finally {
      await close();
    }
  });
});
