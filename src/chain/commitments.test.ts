import { stringToU8a, u8aToHex } from '@polkadot/util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../cli/commit.js';
import { commitSubmission, readCommitments } from './commitments.js';
import { providerOf } from './connect.js';
import { DEV_PATHS, devKeypair } from './dev.js';
import { ChainError } from './errors.js';
import { metagraphAt } from './metagraph.js';
import { signAndWait } from './submit.js';
import { startChainFixture, type ChainFixture } from './testing.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
let fx: ChainFixture;

beforeAll(async () => {
  fx = await startChainFixture({ subnet: { miners: 4 } });
});
afterAll(async () => {
  await fx?.close();
});

async function commitRaw(minerIndex: number, text: string): Promise<number> {
  const bytes = stringToU8a(text);
  const tx = fx.api.tx.commitments!.setCommitment!(fx.subnet.netuid, {
    fields: [{ [`Raw${bytes.length}`]: u8aToHex(bytes) }],
  });
  const inclusion = await signAndWait(fx.api, fx.minerKeys[minerIndex]!, tx, {
    what: 'raw commitment',
    waitFor: 'finalized',
  });
  return inclusion.blockNumber;
}

describe('commitments', () => {
  it('commits a submission and reads it back at that block with the block it was set', async () => {
    const result = await commitSubmission(
      fx.api,
      fx.minerKeys[0]!,
      fx.subnet.netuid,
      'sr-x2-demo',
      SHA_A,
      {
        waitFor: 'finalized',
      },
    );
    expect(result.text).toBe(`podium/1 sr-x2-demo ${SHA_A}`);
    const records = await readCommitments(fx.api, fx.subnet.netuid, result.blockHash);
    expect(records).toEqual([
      {
        hotkey: fx.subnet.miners[0]!.hotkey,
        uid: 1,
        block: result.block,
        text: result.text,
        parsed: { ok: true, contestId: 'sr-x2-demo', sha256: SHA_A },
      },
    ]);
  });

  it('does not show a later change at an earlier block', async () => {
    const first = await readCommitments(
      fx.api,
      fx.subnet.netuid,
      (await fx.api.rpc.chain.getFinalizedHead()).toHex(),
    );
    const earlierHash = (await fx.api.rpc.chain.getFinalizedHead()).toHex();
    const later = await commitSubmission(
      fx.api,
      fx.minerKeys[0]!,
      fx.subnet.netuid,
      'sr-x2-demo',
      SHA_B,
      {
        waitFor: 'finalized',
      },
    );
    const atEarlier = await readCommitments(fx.api, fx.subnet.netuid, earlierHash);
    const atLater = await readCommitments(fx.api, fx.subnet.netuid, later.blockHash);
    expect(atEarlier).toEqual(first);
    expect(atEarlier[0]!.parsed).toMatchObject({ sha256: SHA_A });
    expect(atLater[0]).toMatchObject({ block: later.block, parsed: { ok: true, sha256: SHA_B } });
  });

  it('returns foreign and malformed commitments with a reason, never throwing', async () => {
    await commitRaw(1, 'EdgeMaxxing 0001 owner/repo abcdef1');
    const at = await commitRaw(2, `podium/1 sr-x2-demo ${SHA_A.toUpperCase()}`);
    const records = await readCommitments(
      fx.api,
      fx.subnet.netuid,
      (await fx.api.rpc.chain.getBlockHash(at)).toHex(),
    );
    expect(records.map((r) => [r.uid, r.parsed.ok ? 'ok' : r.parsed.reason])).toEqual([
      [1, 'ok'],
      [2, 'foreign'],
      [3, 'malformed'],
    ]);
    expect(records[2]!.block).toBe(at);
  });

  it('reads every commitment of known hotkeys in one batched storage query', async () => {
    const hash = (await fx.api.rpc.chain.getFinalizedHead()).toHex();
    const refs = (await metagraphAt(fx.api, fx.subnet.netuid, hash)).neurons;
    await fx.api.at(hash); // warm the per-block metadata cache, as collect does after metagraphAt
    const provider = providerOf(fx.api);
    const send = provider.send.bind(provider);
    const methods: string[] = [];
    provider.send = ((method: string, params: unknown[], ...rest: never[]) => {
      methods.push(method);
      return send(method, params, ...rest);
    }) as typeof provider.send;
    try {
      const records = await readCommitments(fx.api, fx.subnet.netuid, hash, refs);
      expect(records).toHaveLength(3);
    } finally {
      provider.send = send;
    }
    expect(methods.filter((m) => m.startsWith('state_'))).toEqual(['state_queryStorageAt']);
  });

  it('refuses to commit for a hotkey that is not registered on the subnet', async () => {
    const stranger = devKeypair(DEV_PATHS.miner(99));
    const err = await commitSubmission(
      fx.api,
      stranger,
      fx.subnet.netuid,
      'sr-x2-demo',
      SHA_A,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).message).toMatch(
      /not registered on subnet \d+; only registered hotkeys may commit/,
    );
  });

  it('podium commit signs with the hotkey from PODIUM_HOTKEY_SEED and prints the block, never the secret', async () => {
    vi.stubEnv('PODIUM_HOTKEY_SEED', fx.subnet.miners[2]!.path);
    vi.stubEnv('PODIUM_CHAIN_ENDPOINT_LOCAL', fx.chain.endpoint);
    const out: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((l: string) => void out.push(l));
    try {
      const program = new Command().exitOverride();
      register(program);
      const argv = [
        'commit',
        '--contest',
        'sr-x2-demo',
        '--sha256',
        SHA_B,
        '--netuid',
        String(fx.subnet.netuid),
      ];
      await program.parseAsync([...argv, '--endpoint', 'local'], { from: 'user' });
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(out[0]).toBe(
      `committed "podium/1 sr-x2-demo ${SHA_B}" for hotkey ${fx.subnet.miners[2]!.hotkey} on subnet ${fx.subnet.netuid}`,
    );
    const block = Number(/block #(\d+)/.exec(out[1]!)![1]);
    const hash = (await fx.api.rpc.chain.getBlockHash(block)).toHex();
    const records = await readCommitments(fx.api, fx.subnet.netuid, hash);
    expect(records.find((r) => r.uid === 3)).toMatchObject({
      block,
      parsed: { ok: true, sha256: SHA_B },
    });
    expect(out.join('\n')).not.toContain('//podium');
  });

  it('explains a commitment rate-limit refusal with the block of the next epoch', async () => {
    const alice = devKeypair(DEV_PATHS.sudo);
    const { api, subnet } = fx;
    const sudo = api.tx.sudo!.sudo!;
    await signAndWait(
      api,
      alice,
      api.tx.utility!.batchAll!([
        sudo(api.tx.commitments!.setMaxSpace!(150)),
        sudo(api.tx.adminUtils!.sudoSetTempo!(subnet.netuid, 360)),
      ]),
      { what: 'limit commitment space', waitFor: 'finalized' },
    );
    await commitSubmission(api, fx.minerKeys[3]!, subnet.netuid, 'sr-x2-demo', SHA_A, {
      waitFor: 'finalized',
    });
    const err = await commitSubmission(
      api,
      fx.minerKeys[3]!,
      subnet.netuid,
      'sr-x2-demo',
      SHA_B,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).code).toBe('rate-limit');
    expect((err as ChainError).message).toMatch(
      /used 100 of 150 bytes .* next epoch .* starts at block #\d+/,
    );
  });
});
