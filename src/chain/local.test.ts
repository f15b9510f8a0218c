import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerOf } from './connect.js';
import { findCutoffBlock } from './cutoff.js';
import { DEV_PATHS, devKeypair, devNewBlock, devTimeTravel } from './dev.js';
import { ChainError } from './errors.js';
import { metagraphAt } from './metagraph.js';
import { requireCall } from './runtime.js';
import { signAndWait } from './submit.js';
import { startChainFixture, type ChainFixture } from './testing.js';

const GENESIS_MS = Date.UTC(2025, 0, 1, 12, 0, 0);
let fx: ChainFixture;

beforeAll(async () => {
  fx = await startChainFixture({
    chain: { genesisTimestampMs: GENESIS_MS },
    subnet: { miners: 2 },
  });
  console.log(
    `chain fixture timings (ms): ${JSON.stringify({ ...fx.chain.timings, ...fx.timings })}`,
  );
});
afterAll(async () => {
  await fx?.close();
});

async function head(): Promise<{ number: number; hash: `0x${string}` }> {
  const header = await fx.api.rpc.chain.getHeader();
  return { number: header.number.toNumber(), hash: header.hash.toHex() };
}

describe('local chain', () => {
  it('boots the real Subtensor runtime with 1 s Aura slots and known block times', async () => {
    expect(fx.api.runtimeVersion.specName.toString()).toBe('node-subtensor');
    expect(fx.api.runtimeVersion.specVersion.toNumber()).toBe(293);
    expect(fx.chain.slotDurationMs).toBe(1000);
    const hash = (await fx.api.rpc.chain.getBlockHash(2)).toHex();
    const now = await fx.api.query.timestamp!.now!.at(hash);
    expect(Number(now.toString())).toBe(GENESIS_MS + 2 * 1000);
  });

  it('sets up a subnet: validator uid 0 with permit, miners registered and funded', async () => {
    const { subnet } = fx;
    const metagraph = await metagraphAt(fx.api, subnet.netuid, (await head()).hash);
    expect(metagraph.neurons.map((n) => [n.uid, n.hotkey, n.validatorPermit])).toEqual([
      [0, subnet.validator.hotkey, true],
      [1, subnet.miners[0]!.hotkey, false],
      [2, subnet.miners[1]!.hotkey, false],
    ]);
    expect(subnet.validator.path).toBe(DEV_PATHS.validator);
    const account = (await fx.api.query.system!.account!(subnet.miners[1]!.hotkey)).toJSON() as {
      data: { free: number };
    };
    expect(account.data.free).toBeGreaterThan(0);
  });
});

describe('runtime shapes', () => {
  it('detects call shapes from metadata and names both shapes when podium does not know one', () => {
    expect(
      requireCall(fx.api, 'subtensorModule', 'registerNetwork', [['hotkey', 'mechid'], ['hotkey']])
        .shape,
    ).toBe(1);
    expect(() =>
      requireCall(fx.api, 'subtensorModule', 'registerNetwork', [['hotkey', 'mechid']]),
    ).toThrow(
      /node-subtensor\/293 has subtensorModule\.registerNetwork\(hotkey\), a shape podium does not know \(expected subtensorModule\.registerNetwork\(hotkey, mechid\)\)/,
    );
    expect(() =>
      requireCall(fx.api, 'subtensorModule', 'commitTimelockedWeights', [['netuid']]),
    ).toThrow(/has no subtensorModule\.commitTimelockedWeights/);
  });
});

describe('metagraph at a block', () => {
  it('shows a later registration and stake only at later blocks', async () => {
    const { api, subnet } = fx;
    const before = await head();
    const alice = devKeypair(DEV_PATHS.sudo);
    const late = devKeypair(DEV_PATHS.miner(7));
    await signAndWait(
      api,
      alice,
      api.tx.subtensorModule!.burnedRegister!(subnet.netuid, late.address),
      {
        what: 'register a late miner',
        waitFor: 'finalized',
      },
    );
    await signAndWait(
      api,
      alice,
      api.tx.subtensorModule!.addStake!(subnet.validator.hotkey, subnet.netuid, 10n ** 10n),
      {
        what: 'stake on the validator',
        waitFor: 'finalized',
      },
    );
    const after = await head();
    const old = await metagraphAt(api, subnet.netuid, before.hash);
    const now = await metagraphAt(api, subnet.netuid, after.hash);
    expect(old.block.number).toBe(before.number);
    expect(old.neurons.map((n) => n.hotkey)).not.toContain(late.address);
    expect(now.neurons.at(-1)).toMatchObject({ uid: 3, hotkey: late.address });
    expect(now.neurons[0]!.stakeRao).toBeGreaterThan(old.neurons[0]!.stakeRao);
  });

  it('refuses a subnet that does not exist at the block', async () => {
    await expect(metagraphAt(fx.api, 77, (await head()).hash)).rejects.toThrow(
      /subnet 77 does not exist/,
    );
  });
});

describe('cutoff block', () => {
  it('finds the last block at or before the cutoff in O(log n) timestamp reads', async () => {
    const { api } = fx;
    await devNewBlock(api, 6);
    const gap = (await api.query.timestamp!.now!()).toString();
    await devTimeTravel(api, Number(gap) + 3_600_000); // an hour without blocks, as after an outage
    await devNewBlock(api, 6);
    const top = (await head()).number;
    const times: number[] = [];
    for (let n = 0; n <= top; n += 1) {
      const hash = (await api.rpc.chain.getBlockHash(n)).toHex();
      times.push(Number((await api.query.timestamp!.now!.at(hash)).toString()));
    }
    const bound = Math.ceil(Math.log2(top)) + 2;
    const cutoffs = [
      times[1]!,
      times[1]! + 999,
      times[5]!,
      times[top - 7]! + 1_800_000,
      times[top]!,
    ];
    for (const cutoff of cutoffs) {
      const expected = times.findLastIndex((t, n) => n >= 1 && t <= cutoff);
      const found = await findCutoffBlock(api, cutoff);
      expect(found.number).toBe(expected);
      expect(found.timestampMs).toBe(times[expected]);
      expect(found.hash).toBe((await api.rpc.chain.getBlockHash(expected)).toHex());
      expect(found.probes).toBeLessThanOrEqual(bound);
    }
  });

  it('reconnects after the connection drops and completes the read', async () => {
    const expected = await findCutoffBlock(fx.api, GENESIS_MS + 3_000);
    const dropped = new Promise((resolve) => fx.api.once('disconnected', resolve));
    await providerOf(fx.api).disconnect();
    await dropped;
    expect(fx.api.isConnected).toBe(false);
    expect(await findCutoffBlock(fx.api, GENESIS_MS + 3_000)).toEqual(expected);
  });

  it('refuses a cutoff before the first block or after the head, saying what to do', async () => {
    const first = Number(
      (
        await fx.api.query.timestamp!.now!.at((await fx.api.rpc.chain.getBlockHash(1)).toHex())
      ).toString(),
    );
    const err = await findCutoffBlock(fx.api, first - 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).message).toMatch(/before the chain's first block/);
    await expect(findCutoffBlock(fx.api, Date.UTC(2030, 0, 1))).rejects.toThrow(
      /has not passed the cutoff yet/,
    );
  });
});
