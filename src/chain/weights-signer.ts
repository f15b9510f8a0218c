/**
 * Who actually set a round's weights on chain: for each extrinsic a weights.json says it sent
 * (set_weights, a hash commit, a timelocked commit), the block is fetched, the extrinsic found
 * by its hash, and its signer and call read. `podium verify --endpoint` binds the index's signer
 * to these hotkeys (docs/adr/0150-verify-trust-anchor.md): a mirror can re-sign the folder with
 * any key, but cannot make another key have sent the validator's extrinsics.
 */
import type { ApiPromise } from '@polkadot/api';
import { decodeAddress } from '@polkadot/util-crypto';
import { hotkeyAddress } from '../documents/hotkey.js';
import type { ChainSigner } from '../results/checks.js';
import { messageOf } from './errors.js';

/** The calls by which a validator's weights reach the chain (SubtensorModule). */
const WEIGHTS_CALLS = new Set([
  'setWeights',
  'commitWeights',
  'revealWeights',
  'commitCrv3Weights',
  'commitTimelockedWeights',
]);

interface Landing {
  readonly what: string;
  readonly block: string;
  readonly extrinsic: string;
}

type Json = Record<string, unknown>;
const ref = (v: unknown): Json | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;

/** The extrinsics a weights.json (parsed, schema-valid) records as sent, with where it says so. */
export function weightsLandings(doc: unknown): Landing[] {
  const d = ref(doc);
  const out: Landing[] = [];
  const block = ref(d?.block);
  if (block && typeof d?.extrinsicHash === 'string') {
    out.push({ what: '/extrinsicHash', block: String(block.hash), extrinsic: d.extrinsicHash });
  }
  for (const [pointer, commit] of [
    ['/commitReveal/commit', ref(ref(d?.commitReveal)?.commit)],
    ['/timelock/commit', ref(ref(d?.timelock)?.commit)],
  ] as const) {
    if (commit && typeof commit.extrinsicHash === 'string') {
      out.push({
        what: `${pointer}/extrinsicHash`,
        block: String(commit.hash),
        extrinsic: commit.extrinsicHash,
      });
    }
  }
  return out;
}

/**
 * Reads each landing of `doc` on chain: the signer of the extrinsic (ss58, prefix 42), or why it
 * is not a weights extrinsic of the block it names. Never throws for chain data; throws
 * ChainError only when the connection fails.
 */
export async function weightsSigners(api: ApiPromise, doc: unknown): Promise<ChainSigner[]> {
  const out: ChainSigner[] = [];
  for (const landing of weightsLandings(doc)) {
    const what = `${landing.what} ${landing.extrinsic} in block ${landing.block}`;
    let block;
    try {
      block = await api.rpc.chain.getBlock(landing.block);
    } catch (err) {
      out.push({ what, signer: null, problem: `the chain has no such block (${messageOf(err)})` });
      continue;
    }
    const ext = block.block.extrinsics.find((e) => e.hash.toHex() === landing.extrinsic);
    if (ext === undefined) {
      out.push({ what, signer: null, problem: 'the block holds no extrinsic with this hash' });
      continue;
    }
    const call = `${ext.method.section}.${ext.method.method}`;
    if (!ext.isSigned) {
      out.push({ what, signer: null, problem: `the extrinsic (${call}) is unsigned` });
      continue;
    }
    const signer = hotkeyAddress(decodeAddress(ext.signer.toString()));
    if (!WEIGHTS_CALLS.has(ext.method.method)) {
      out.push({ what, signer, problem: `the extrinsic is ${call}, not a weights call` });
      continue;
    }
    out.push({ what, signer });
  }
  return out;
}
