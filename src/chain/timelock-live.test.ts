/**
 * The timelocked path against a newer Subtensor runtime, when one is supplied:
 *   PODIUM_CHAIN_SPEC=/path/to/aura-dev.json npx vitest run src/chain/timelock-live.test.ts
 * (a genesis-builder chain spec of a runtime other than the pinned spec 293; its sha256 is
 * taken from the file). The path must be v4 where the runtime offers commit_timelocked_weights,
 * and the runtime must reveal the commit once the pulse is on chain. Skipped otherwise.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishWeights } from './publish.js';
import { runtimeName } from './runtime.js';
import { SUBTENSOR_SPEC_SHA256 } from './spec.js';
import { startChainFixture, type ChainFixture } from './testing.js';
import { checkTimelockedCommit } from './timelock-check.js';
import { QUICKNET_ROUND_1000, timelockStage } from './timelock-testing.js';
import { readOffer } from './weights-call.js';

const specPath = process.env.PODIUM_CHAIN_SPEC;
const specSha256 = specPath
  ? createHash('sha256').update(readFileSync(specPath)).digest('hex')
  : null;
const newer = specSha256 !== null && specSha256 !== SUBTENSOR_SPEC_SHA256;
const TEMPO = 6;
if (!newer) {
  console.info(
    'timelock-live: skipped, no newer runtime supplied (set PODIUM_CHAIN_SPEC to a chain spec other than the pinned spec 293); v4 is covered by encoding and path tests only',
  );
}

describe.skipIf(!newer)(
  `timelocked commit-reveal on a newer runtime (skipped unless PODIUM_CHAIN_SPEC names a chain spec other than the pinned spec 293, sha256 ${SUBTENSOR_SPEC_SHA256.slice(0, 12)}…)`,
  () => {
    let fx: ChainFixture;
    beforeAll(async () => {
      fx = await startChainFixture({
        chain: { specPath: specPath!, specSha256: specSha256! },
        subnet: { miners: 2, weightsSetRateLimit: 0, commitReveal: true, tempo: TEMPO },
      });
    });
    afterAll(async () => {
      await fx?.close();
    });

    it(
      'commits on the path the metadata names (v4 where offered) and the runtime reveals it',
      async () => {
        const stage = timelockStage(fx, TEMPO);
        const offer = await readOffer(fx.api);
        console.info(`live runtime ${runtimeName(fx.api)}: ${JSON.stringify(offer)}`);
        await stage.prepareCommitFor(QUICKNET_ROUND_1000.round);
        const [m0, m1] = fx.subnet.miners;
        const doc = await publishWeights(
          fx.api,
          fx.validatorKey,
          fx.subnet.netuid,
          { [m0!.hotkey]: 2, [m1!.hotkey]: 1 },
          { versionKey: 100 },
        );
        expect(doc.path).toBe(offer.timelocked ? 'timelock-v4' : 'timelock-crv3');
        await stage.injectPulse(QUICKNET_ROUND_1000.round, QUICKNET_ROUND_1000.signature);
        await stage.revealBlockPassed(doc);
        await stage.advance(1);
        const outcome = await checkTimelockedCommit(fx.api, doc);
        expect(outcome.reason).toMatch(/revealed and applied/);
        expect(outcome.status).toBe('revealed');
      },
      (2 * (TEMPO + 1) + 6) * 10_000,
    );
  },
);
