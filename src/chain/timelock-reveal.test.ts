/**
 * End to end on the pinned runtime (spec 293, chopsticks): commit-reveal on, publish-weights
 * sends a CRv3 timelocked commit, the test writes the drand pulse into Drand.Pulses, the runtime
 * reveals by itself, and podium's check reads the outcome back.
 */
import { WeightsSchema } from '../documents/weights.js';
import { WeightsCheckSchema } from '../documents/weights-check.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChainCommand } from '../cli/chain-testing.js';
import { publishWeights } from './publish.js';
import type { WeightsDocument } from '../documents/weights.js';
import { startChainFixture, type ChainFixture } from './testing.js';
import { checkDocument, readDocument, writeDocument } from '../json/file.js';
import type { WeightsCheckDocument } from '../documents/weights-check.js';
import { followUp } from './followup.js';
import { checkTimelockedCommit } from './timelock-check.js';
import { buildTimelockCommit } from './timelock-commit.js';
import { QUICKNET_ROUND_1000, timelockStage } from './timelock-testing.js';
import { QUICKNET } from './timelock.js';

const { round: ROUND, signature: SIGNATURE } = QUICKNET_ROUND_1000;
const TEMPO = 6;
/**
 * A test builds at most two epochs of blocks (to the next epoch start, then to the reveal) plus
 * a few transactions; chopsticks builds one in 1–2 s here, so 10 s a block leaves room for a
 * busy machine.
 */
const TEST_TIMEOUT_MS = (2 * (TEMPO + 1) + 4) * 10_000;

let fx: ChainFixture;
let stage: ReturnType<typeof timelockStage>;

beforeAll(async () => {
  fx = await startChainFixture({
    subnet: { miners: 3, weightsSetRateLimit: 0, commitReveal: true, tempo: TEMPO },
  });
  stage = timelockStage(fx, TEMPO);
});
afterAll(async () => {
  await fx?.close();
});

const head = () => stage.head();
const prepareCommitFor = (round: number) => stage.prepareCommitFor(round);
const revealBlockPassed = (doc: WeightsDocument) => stage.revealBlockPassed(doc);

describe('timelocked commit-reveal on the pinned runtime', () => {
  it(
    'commits with CRv3, the runtime reveals with the injected pulse, and the check reads back "revealed"',
    async () => {
      await prepareCommitFor(ROUND);
      const [m0, m1, m2] = fx.subnet.miners;
      const lines: string[] = [];
      const doc = await publishWeights(
        fx.api,
        fx.validatorKey,
        fx.subnet.netuid,
        { [m0!.hotkey]: 3, [m1!.hotkey]: 1, [m2!.hotkey]: 2 },
        { versionKey: 100, log: (l) => lines.push(l) },
      );
      expect(doc.status).toBe('committed');
      expect(doc.path).toBe('timelock-crv3');
      expect(doc.call!.text).toMatch(
        /^subtensorModule\.commitCrv3Weights\(\d+, <\d+ bytes 0x[0-9a-f]{16}…>, 1000\)$/,
      );
      expect(doc.timelock).toMatchObject({
        scheme: 'crv3',
        revealRound: ROUND,
        beaconPublicKey: QUICKNET.publicKey,
      });
      expect(lines).toContain('path: timelock-crv3');
      expect(() => checkDocument('weights.json', doc, WeightsSchema)).not.toThrow();

      const early = await checkTimelockedCommit(fx.api, doc);
      expect(early.status).toBe('pending');
      const again = await publishWeights(
        fx.api,
        fx.validatorKey,
        fx.subnet.netuid,
        { [m0!.hotkey]: 1 },
        { versionKey: 100 },
      );
      expect(again.skipped).toEqual({
        reason: 'pending-commit',
        message: expect.stringMatching(
          /still pending on subnet \d+ \(timelocked commit of epoch \d+ \(crv3WeightCommits\)\)/,
        ),
      });

      await stage.injectPulse(ROUND, SIGNATURE);
      await revealBlockPassed(doc);
      const outcome = await checkTimelockedCommit(fx.api, doc);
      expect(outcome).toMatchObject({ status: 'revealed' });
      expect(outcome.readBack).toEqual(doc.weights.map((w) => ({ uid: w.uid, value: w.value })));
      expect(outcome.revealedAt).toBeGreaterThan(doc.timelock!.commit!.number);
      expect(outcome.reason).toMatch(
        /revealed and applied the committed weights at #\d+ \(drand round 1000\)/,
      );
      // the next run records the outcome in its own numbered file, once
      const dir = await mkdtemp(join(tmpdir(), 'podium-followup-'));
      try {
        await writeDocument(join(dir, 'weights.json'), WeightsSchema, doc);
        const first = await followUp(fx.api, fx.validatorKey, join(dir, 'weights.json'), dir);
        expect(first).toMatchObject({ action: 'checked', file: join(dir, 'weights-check-1.json') });
        const record = (await readDocument(
          join(dir, 'weights-check-1.json'),
          WeightsCheckSchema,
        )) as unknown as WeightsCheckDocument;
        expect(record).toMatchObject({
          status: 'revealed',
          revealRound: ROUND,
          readBack: outcome.readBack,
        });
        expect(
          (await followUp(fx.api, fx.validatorKey, join(dir, 'weights.json'), dir)).action,
        ).toBe('done');
      } finally {
        await rm(dir, { recursive: true });
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'ends in "not revealed", naming the bad pulse, when the pulse on chain carries another round\'s signature',
    async () => {
      await prepareCommitFor(ROUND + 1);
      const [m0, m1] = fx.subnet.miners;
      const doc = await publishWeights(
        fx.api,
        fx.validatorKey,
        fx.subnet.netuid,
        { [m0!.hotkey]: 1, [m1!.hotkey]: 5 },
        { versionKey: 100 },
      );
      expect(doc.timelock).toMatchObject({ scheme: 'crv3', revealRound: ROUND + 1 });
      // round 1000's (real) signature stored as round 1001's pulse
      await stage.injectPulse(ROUND + 1, SIGNATURE);
      await revealBlockPassed(doc);
      const outcome = await checkTimelockedCommit(fx.api, doc);
      expect(outcome.status).toBe('not-revealed');
      expect(outcome.reason).toBe(
        "the commit is gone from storage but the chain does not hold the committed weights: the chain's pulse for " +
          "round 1001 is invalid (signature b44679b9a59af2ec… is not round 1001's signature under the drand quicknet " +
          'public key), so the runtime could not decrypt the commit',
      );
      expect(outcome.readBack).toBeNull();
    },
    TEST_TIMEOUT_MS,
  );

  it('refuses a timelocked commit over 5000 bytes before sending anything', () => {
    const weights = Array.from({ length: 1300 }, (_, uid) => ({
      uid,
      hotkey: fx.subnet.validator.hotkey,
      value: 1,
    }));
    expect(() =>
      buildTimelockCommit(fx.api, {
        scheme: 'crv3',
        hotkey: fx.subnet.validator.hotkey,
        netuid: fx.subnet.netuid,
        weights,
        versionKey: 100,
        timing: { revealBlock: 1, revealTimeMs: 0, revealRound: ROUND },
        beacon: QUICKNET,
        commitRevealVersion: null,
      }),
    ).toThrow(
      /the timelocked commit of 1300 weights is 5\d{3} bytes, above the runtime's 5000-byte limit; nothing was sent/,
    );
  });

  it(
    'podium publish-weights --dry-run prints the path and the CRv3 call, sending nothing',
    async () => {
      await prepareCommitFor(ROUND + 2);
      const before = await head();
      const dir = await mkdtemp(join(tmpdir(), 'podium-timelock-'));
      const input = join(dir, 'weights-input.json');
      await writeFile(input, JSON.stringify({ [fx.subnet.miners[0]!.hotkey]: 1 }));
      let text: string;
      try {
        text = await runChainCommand(
          [
            'publish-weights',
            '--weights',
            input,
            '--netuid',
            String(fx.subnet.netuid),
            '--endpoint',
            'local',
            '--version-key',
            '100',
            '--dry-run',
          ],
          fx.chain.endpoint,
        );
      } finally {
        await rm(dir, { recursive: true });
      }
      console.info(`dry-run output (CRv3):\n${text}`);
      expect(text).toContain('path: timelock-crv3');
      expect(text).toMatch(
        /call: subtensorModule\.commitCrv3Weights\(\d+, <\d+ bytes 0x[0-9a-f]{16}…>, 1002\)/,
      );
      expect(text).toMatch(
        /timelock crv3: the runtime reveals it at #\d+ once drand quicknet round 1002 is on chain/,
      );
      expect(text).toMatch(/dry run: nothing was sent/);
      expect(await head()).toBe(before);
    },
    TEST_TIMEOUT_MS,
  );
});
