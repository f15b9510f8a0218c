import { describe, expect, it } from 'vitest';
import { ChainError } from './errors.js';
import { revealTiming } from './timelock-commit.js';
import { QUICKNET } from './timelock.js';
import { choosePath, type RuntimeOffer } from './weights-call.js';

const spec293: RuntimeOffer = {
  hashCommit: true,
  crv3: true,
  timelocked: false,
  commitRevealVersion: null,
};
const spec305: RuntimeOffer = {
  hashCommit: true,
  crv3: true,
  timelocked: true,
  commitRevealVersion: 4,
};
const spec310: RuntimeOffer = {
  hashCommit: true,
  crv3: false,
  timelocked: true,
  commitRevealVersion: 4,
};
const beacon = { ...QUICKNET };

describe('choosePath', () => {
  it('sets weights directly when commit-reveal is off, whatever the runtime offers', () => {
    expect(choosePath(false, spec293)).toBe('set-weights');
    expect(choosePath(false, spec310, 'hash')).toBe('set-weights');
  });

  it('prefers the timelock: v4 where the runtime has commit_timelocked_weights, else CRv3', () => {
    expect(choosePath(true, spec293)).toBe('timelock-crv3');
    expect(choosePath(true, spec305)).toBe('timelock-v4');
    expect(choosePath(true, spec310)).toBe('timelock-v4');
    expect(choosePath(true, spec293, 'timelock')).toBe('timelock-crv3');
  });

  it('uses the hash commit when asked, or when the runtime has no timelock call', () => {
    expect(choosePath(true, spec293, 'hash')).toBe('commit-reveal-hash');
    expect(choosePath(true, { ...spec293, crv3: false })).toBe('commit-reveal-hash');
  });

  it('refuses a CommitRevealWeightsVersion podium does not know, and a runtime with no commit call', () => {
    expect(() =>
      choosePath(
        true,
        { ...spec310, commitRevealVersion: 5 },
        'auto',
        'runtime node-subtensor/320',
      ),
    ).toThrow(
      new ChainError(
        'shape',
        'runtime node-subtensor/320 has CommitRevealWeightsVersion 5; podium produces timelocked commits for ' +
          'version 4 only: nothing was sent — update podium',
      ),
    );
    expect(() => choosePath(true, { ...spec310, commitRevealVersion: null })).toThrow(
      /CommitRevealWeightsVersion \(absent\)/,
    );
    expect(() =>
      choosePath(true, {
        hashCommit: false,
        crv3: false,
        timelocked: false,
        commitRevealVersion: null,
      }),
    ).toThrow(/offers no commit call podium knows/);
    expect(() => choosePath(true, { ...spec310, hashCommit: false }, 'hash')).toThrow(
      /offers no hash commit/,
    );
  });
});

describe('revealTiming', () => {
  // 2025-01-01T00:00:00Z, mainnet-like 12 s blocks.
  const base = {
    blockTimestampMs: 1_735_689_600_000,
    blockTimeMs: 12_000,
    netuid: 2,
    tempo: 360,
    revealPeriodEpochs: 1,
    beacon,
    lastStoredRound: 0,
  };

  it("computes the Bittensor client's reveal block and the first drand round at or after its time", () => {
    // epoch = (1000 + 3) / 361 = 2; reveal block = 3 · 361 − 3 = 1080, 80 blocks = 960 s later.
    const t = revealTiming({ ...base, block: 1000 });
    expect(t.revealBlock).toBe(1080);
    expect(t.revealTimeMs).toBe(base.blockTimestampMs + 960_000);
    const seconds = (base.blockTimestampMs + 960_000) / 1000 - QUICKNET.genesisTime;
    expect(t.revealRound).toBe(Math.ceil(seconds / 3));
    expect(QUICKNET.genesisTime + t.revealRound * 3).toBeGreaterThanOrEqual(t.revealTimeMs / 1000);
    expect(revealTiming({ ...base, block: 1000, revealPeriodEpochs: 3 }).revealBlock).toBe(
      1080 + 2 * 361,
    );
  });

  it('refuses a reveal round that drand has already reached', () => {
    expect(() => revealTiming({ ...base, block: 1000, revealPeriodEpochs: 0 })).toThrow(
      /reveal round \d+ \(block #719\) is not in the future: drand is at round \d+ \(tempo 360, RevealPeriodEpochs 0\)/,
    );
    expect(() => revealTiming({ ...base, block: 1000, lastStoredRound: 10 ** 9 })).toThrow(
      /drand is at round 1000000000/,
    );
  });
});
