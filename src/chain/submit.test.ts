/**
 * signAndWait on the local chain when the status subscription is no help: a slow link on which
 * @polkadot/api drops the "in block" status, a chain that builds no block for a while, and one
 * that builds none at all. Its own chain: these tests switch the block build mode.
 */
import type { ApiPromise } from '@polkadot/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChain, providerOf } from './connect.js';
import { DEV_PATHS, devKeypair, devNewBlock } from './dev.js';
import { ChainError } from './errors.js';
import { startLocalChain, type LocalChain } from './local.js';
import { startSlowLink, type SlowLink } from './slow-link.js';
import { signAndWait, windowEnd } from './submit.js';

let chain: LocalChain;
let link: SlowLink;
let api: ApiPromise;
const alice = devKeypair(DEV_PATHS.sudo);

beforeAll(async () => {
  chain = await startLocalChain();
  // Every answer to chain_getBlock arrives 400 ms late; notifications pass at once.
  link = await startSlowLink(chain.endpoint, { slow: ['chain_getBlock'], delayMs: 400 });
  api = await connectChain(link.endpoint);
});
afterAll(async () => {
  await api?.disconnect().catch(() => undefined);
  await link?.close();
  await chain?.close();
});

async function head(): Promise<number> {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

describe('signAndWait', () => {
  it('includes an extrinsic whose "in block" status @polkadot/api drops on a slow link', async () => {
    // chopsticks sends "finalized" 100 ms after "in block"; signAndSend reads the block's events
    // before reporting "in block" and drops that read (switchMap) when "finalized" comes first.
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      api.tx.system!.remark!('0x01')
        .signAndSend(alice, { nonce: -1 }, (r) => {
          seen.push(r.status.type);
          if (r.status.isFinalized) resolve();
        })
        .catch(reject);
    });
    expect(seen).toContain('Finalized');
    expect(seen).not.toContain('InBlock'); // the cause, shown with the library alone
    const before = await head();
    const inclusion = await signAndWait(api, alice, api.tx.system!.remark!('0x02'), {
      what: 'remark over a slow link',
    });
    expect(inclusion.blockNumber).toBe(before + 1);
    expect(inclusion.events.map((e) => e.event.method)).toContain('ExtrinsicSuccess');
  });

  it('waits again while the node still holds the extrinsic, then returns its block', async () => {
    const lines: string[] = [];
    await providerOf(api).send('dev_setBlockBuildMode', ['Manual']);
    try {
      const before = await head();
      const inclusion = await signAndWait(api, alice, api.tx.system!.remark!('0x03'), {
        what: 'remark while no block is built',
        blocks: 2,
        log: (line) => {
          lines.push(line);
          if (lines.length === 1) void devNewBlock(api); // the chain moves on only now
        },
      });
      expect(lines[0]).toBe(
        "remark while no block is built: not in a block after 2 blocks' time (2.0 s); still " +
          "pending in the node's pool: waiting another 2 blocks",
      );
      expect(inclusion.blockNumber).toBe(before + 1);
    } finally {
      await providerOf(api).send('dev_setBlockBuildMode', ['Instant']);
    }
  });

  it('confirms inclusion from chain state when no status notification arrives', async () => {
    const mute = await startSlowLink(chain.endpoint, { muted: ['author_extrinsicUpdate'] });
    const deaf = await connectChain(mute.endpoint);
    try {
      const lines: string[] = [];
      const before = await head();
      const inclusion = await signAndWait(deaf, alice, deaf.tx.system!.remark!('0x05'), {
        what: 'remark without notifications',
        log: (line) => lines.push(line),
      });
      expect(inclusion.blockNumber).toBe(before + 1);
      expect(inclusion.events.map((e) => e.event.method)).toContain('ExtrinsicSuccess');
      expect(lines).toEqual([
        `remark without notifications: confirmed from chain state in block #${before + 1} (no status notification yet)`,
      ]);
    } finally {
      await deaf.disconnect();
      await mute.close();
    }
  });

  it('gives up after the pending windows when the chain builds no block, saying so', async () => {
    await providerOf(api).send('dev_setBlockBuildMode', ['Manual']);
    try {
      const err = await signAndWait(api, alice, api.tx.system!.remark!('0x04'), {
        what: 'remark on a stalled chain',
        blocks: 1,
        pendingWindows: 1,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChainError);
      expect((err as ChainError).code).toBe('timeout');
      expect((err as ChainError).message).toMatch(
        /^remark on a stalled chain: extrinsic 0x[0-9a-f]{64} not included within 2 blocks \(2\.0 s\); it is still in the node's pool: the chain is not producing blocks; check the node$/,
      );
    } finally {
      await devNewBlock(api); // include it: the pool is empty again
      await providerOf(api).send('dev_setBlockBuildMode', ['Instant']);
    }
  });
});

describe('windowEnd (what the end of an inclusion wait window means)', () => {
  const heads = (inWindow: number, sinceDeadline: number) => ({ inWindow, sinceDeadline });
  it('extends a window while the chain builds blocks slower than its block time', () => {
    // 10-block windows on a busy machine: 4 blocks came, 1 of them since the last deadline.
    expect(windowEnd(heads(4, 1), 10, null)).toBe('extend');
    expect(windowEnd(heads(9, 2), 10, true)).toBe('extend');
  });
  it('ends the window once its blocks were built, or when no block came since the deadline', () => {
    expect(windowEnd(heads(10, 3), 10, true)).toBe('pending');
    expect(windowEnd(heads(4, 0), 10, true)).toBe('pending'); // a stalled chain: no extension
  });
  it('tells a block still being built from an extrinsic the chain moved on without', () => {
    // Out of the pool: with no block since the deadline its block is under construction ...
    expect(windowEnd(heads(0, 0), 10, false)).toBe('building');
    // ... with blocks built and it in none of them, it was dropped (the grace windows).
    expect(windowEnd(heads(12, 5), 10, false)).toBe('dropped');
  });
});
