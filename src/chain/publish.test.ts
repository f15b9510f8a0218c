import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChainCommand } from '../cli/chain-testing.js';
import { checkDocument } from '../json/file.js';
import { DEV_PATHS, devKeypair, devNewBlock } from './dev.js';
import { ChainError } from './errors.js';
import { publishWeights } from './publish.js';
import { revealWeights } from './reveal.js';
import { WeightsSchema, type WeightsDocument } from '../documents/weights.js';
import { signAndWait } from './submit.js';
import { weightsSigners } from './weights-signer.js';
import { startChainFixture, type ChainFixture } from './testing.js';

let fx: ChainFixture;
let weights: Record<string, number>;
/** The weights.json of the first test's set_weights, for the signer check below. */
let landed: WeightsDocument | undefined;

beforeAll(async () => {
  fx = await startChainFixture({ subnet: { miners: 3, weightsSetRateLimit: 3 } });
  const [m0, m1, m2] = fx.subnet.miners;
  weights = { [m0!.hotkey]: 0.5, [m1!.hotkey]: 0.25, [m2!.hotkey]: 0 };
});
afterAll(async () => {
  await fx?.close();
});

async function headNumber(): Promise<number> {
  return (await fx.api.rpc.chain.getHeader()).number.toNumber();
}

async function sudo(method: string, ...args: unknown[]): Promise<void> {
  const { api } = fx;
  await signAndWait(
    api,
    devKeypair(DEV_PATHS.sudo),
    api.tx.sudo!.sudo!(api.tx.adminUtils![method]!(...args)),
    {
      what: `sudo ${method}`,
      waitFor: 'finalized',
    },
  );
}

/** Builds empty blocks until the validator may set weights again. */
async function passRateLimit(): Promise<void> {
  await devNewBlock(fx.api, 3);
}

describe('publishWeights', () => {
  it('sets u16 weights by uid and reads back what the chain holds', async () => {
    await passRateLimit(); // registration counts as the validator's last update
    const doc = await publishWeights(fx.api, fx.validatorKey, fx.subnet.netuid, weights, {
      versionKey: 100,
    });
    expect(doc.status).toBe('set');
    expect(doc.weights).toEqual([
      { uid: 1, hotkey: fx.subnet.miners[0]!.hotkey, value: 65535 },
      { uid: 2, hotkey: fx.subnet.miners[1]!.hotkey, value: 32768 },
      { uid: 3, hotkey: fx.subnet.miners[2]!.hotkey, value: 0 },
    ]);
    expect(doc.readBack).toEqual(doc.weights.map((w) => ({ uid: w.uid, value: w.value })));
    expect(doc.block!.number).toBe(await headNumber());
    expect(doc.extrinsicHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(() => checkDocument('weights.json', doc, WeightsSchema)).not.toThrow();
    landed = doc;
  });

  it('skips with a typed result, sending nothing, while WeightsSetRateLimit has not passed', async () => {
    const before = await headNumber();
    const lines: string[] = [];
    const doc = await publishWeights(fx.api, fx.validatorKey, fx.subnet.netuid, weights, {
      versionKey: 100,
      log: (l) => lines.push(l),
    });
    expect(doc.status).toBe('skipped');
    expect(doc.skipped).toEqual({
      reason: 'rate-limit',
      message: expect.stringMatching(
        /WeightsSetRateLimit is 3 blocks, so the next update may land at #\d+/,
      ),
    });
    expect(doc.extrinsicHash).toBeNull();
    expect(lines[0]).toMatch(/^skipped: /);
    expect(await headNumber()).toBe(before);
  });

  it('drops and logs hotkeys that are not registered, and dry-runs the exact call', async () => {
    await passRateLimit();
    const before = await headNumber();
    const stranger = devKeypair(DEV_PATHS.miner(42)).address;
    const lines: string[] = [];
    const doc = await publishWeights(
      fx.api,
      fx.validatorKey,
      fx.subnet.netuid,
      { ...weights, [stranger]: 1 },
      { versionKey: 100, dryRun: true, log: (l) => lines.push(l) },
    );
    expect(doc.status).toBe('dry-run');
    expect(doc.dropped).toEqual([
      expect.objectContaining({ hotkey: stranger, reason: 'not-registered' }),
    ]);
    expect(lines).toContainEqual(expect.stringContaining(stranger));
    expect(doc.call!.text).toBe(
      `subtensorModule.setWeights(${fx.subnet.netuid}, [1,2,3], [65535,32768,0], 100)`,
    );
    const decoded = fx.api.createType('Call', doc.call!.callData);
    expect(`${decoded.section}.${decoded.method}`).toBe('subtensorModule.setWeights');
    expect(await headNumber()).toBe(before);
  });

  it("refuses a version key below the subnet's WeightsVersionKey before sending", async () => {
    await sudo('sudoSetWeightsVersionKey', fx.subnet.netuid, 500);
    const err = await publishWeights(fx.api, fx.validatorKey, fx.subnet.netuid, weights, {
      versionKey: 100,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).message).toMatch(
      /version key 100 is below subnet \d+'s WeightsVersionKey 500/,
    );
  });

  it('uses hash commit-reveal when asked and the subnet enables it, revealing only inside the window', async () => {
    await sudo('sudoSetCommitRevealWeightsEnabled', fx.subnet.netuid, true);
    await passRateLimit();
    const committed = await publishWeights(
      fx.api,
      fx.validatorKey,
      fx.subnet.netuid,
      { [fx.subnet.miners[1]!.hotkey]: 1, [fx.subnet.miners[2]!.hotkey]: 3 },
      { versionKey: 500, commitScheme: 'hash' },
    );
    expect(committed.status).toBe('committed');
    expect(committed.path).toBe('commit-reveal-hash');
    expect(committed.commitReveal!.salt).toBeNull(); // derived from the hotkey at reveal (ADR 0072)
    expect(committed.call!.text).toMatch(/^subtensorModule\.commitWeights\(/);
    const window = committed.commitReveal!.revealWindow;
    await expect(revealWeights(fx.api, fx.validatorKey, committed)).rejects.toThrow(
      new RegExp(`reveal window opens at block #${window.first}`),
    );
    await devNewBlock(fx.api, window.first - 1 - (await headNumber()));
    const revealed = await revealWeights(fx.api, fx.validatorKey, committed);
    expect(revealed.status).toBe('revealed');
    expect(revealed.commitReveal!.salt).toHaveLength(8);
    expect(revealed.block!.number).toBe(window.first);
    expect(revealed.readBack).toEqual([
      { uid: 2, value: 21845 },
      { uid: 3, value: 65535 },
    ]);
    expect(() => checkDocument('weights.json', revealed, WeightsSchema)).not.toThrow();
    await sudo('sudoSetCommitRevealWeightsEnabled', fx.subnet.netuid, false);
  });
});

describe('podium publish-weights', () => {
  it('dry-runs from a weights file: prints the call, writes a valid weights.json, never prints the secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-publish-'));
    const input = join(dir, 'weights-input.json');
    await writeFile(input, JSON.stringify(weights));
    await passRateLimit();
    const text = await runChainCommand(
      [
        'publish-weights',
        '--weights',
        input,
        '--netuid',
        String(fx.subnet.netuid),
        '--endpoint',
        'local',
        '--version-key',
        '500',
        '--out',
        join(dir, 'weights.json'),
        '--dry-run',
      ],
      fx.chain.endpoint,
    );
    expect(text).toMatch(
      /call: subtensorModule\.setWeights\(\d+, \[1,2,3\], \[65535,32768,0\], 500\)/,
    );
    expect(text).toMatch(/dry run: nothing was sent/);
    expect(text).not.toContain(DEV_PATHS.validator);
    const written = JSON.parse(
      await readFile(join(dir, 'weights.json'), 'utf8'),
    ) as WeightsDocument;
    expect(written).toMatchObject({ status: 'dry-run', netuid: fx.subnet.netuid, versionKey: 500 });
    expect(written.source!.path).toBe(input);
    await rm(dir, { recursive: true });
  });
});

// Last in the file: its remark builds a block, which would move the rate-limit windows above.
describe('weightsSigners', () => {
  it("reads who sent a weights.json's extrinsic on chain, and names a forged one (verify --endpoint)", async () => {
    const doc = landed!;
    const what = `/extrinsicHash ${doc.extrinsicHash} in block ${doc.block!.hash}`;
    expect(await weightsSigners(fx.api, doc)).toEqual([
      { what, signer: fx.subnet.validator.hotkey },
    ]);
    // A mirror points weights.json at an extrinsic another key sent: a miner's remark.
    const miner = fx.minerKeys[0]!;
    const remark = await signAndWait(fx.api, miner, fx.api.tx.system!.remark!('podium'), {
      what: 'remark',
    });
    const forged = {
      ...doc,
      block: { number: remark.blockNumber, hash: remark.blockHash },
      extrinsicHash: remark.extrinsicHash,
    };
    expect(await weightsSigners(fx.api, forged)).toEqual([
      {
        what: `/extrinsicHash ${remark.extrinsicHash} in block ${remark.blockHash}`,
        signer: fx.subnet.miners[0]!.hotkey,
        problem: 'the extrinsic is system.remark, not a weights call',
      },
    ]);
    const elsewhere = { ...doc, extrinsicHash: remark.extrinsicHash };
    expect(await weightsSigners(fx.api, elsewhere)).toEqual([
      {
        what: `/extrinsicHash ${remark.extrinsicHash} in block ${doc.block!.hash}`,
        signer: null,
        problem: 'the block holds no extrinsic with this hash',
      },
    ]);
  });
});
