/**
 * Miners' commitments: reading every `Commitments.CommitmentOf(netuid, hotkey)` at a block in
 * one batched storage query, and writing one with `Commitments.set_commitment`. Reading never
 * throws for a bad commitment: each comes back with the block it was set at and either the
 * submission it names or the reason it is not one.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Codec } from '@polkadot/types/types';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { formatCommitment, parseCommitmentBytes, type ParsedCommitment } from './commitment.js';
import { withRetries } from './connect.js';
import { ChainError } from './errors.js';
import { metagraphAt } from './metagraph.js';
import { requireCall, requireStorage } from './runtime.js';
import { signAndWait } from './submit.js';

/** One hotkey's commitment as stored at the block read. */
export interface CommitmentRecord {
  readonly hotkey: string;
  /** The hotkey's uid at the block read; null when it was not registered then. */
  readonly uid: number | null;
  /** Block at which the commitment was set. */
  readonly block: number;
  /** The committed text; null when the field is not UTF-8 text. */
  readonly text: string | null;
  readonly parsed: ParsedCommitment;
}

/** A hotkey to read, with its uid when known. */
export interface HotkeyRef {
  readonly hotkey: string;
  readonly uid: number | null;
}

/**
 * Reads the commitments of `hotkeys` (default: every hotkey registered on `netuid` at the
 * block) at `blockHash`, in one `state_queryStorageAt`. Hotkeys without a commitment are left
 * out; the rest are sorted by uid, then hotkey. Throws ChainError('shape' | 'disconnected').
 */
export async function readCommitments(
  api: ApiPromise,
  netuid: number,
  blockHash: `0x${string}`,
  hotkeys?: readonly HotkeyRef[],
): Promise<CommitmentRecord[]> {
  const refs = hotkeys ?? (await metagraphAt(api, netuid, blockHash)).neurons;
  return withRetries(
    api,
    async () => {
      const at = await api.at(blockHash);
      const item = requireStorage(at, 'commitments', 'commitmentOf');
      const values = await item.multi(refs.map((r) => [netuid, r.hotkey]));
      const records: CommitmentRecord[] = [];
      refs.forEach((ref, i) => {
        const value = values[i] as unknown as OptionCodec | undefined;
        if (!value || value.isNone) return;
        records.push(decodeRegistration(ref, value.unwrap()));
      });
      return records.sort(
        (a, b) => (a.uid ?? 65536) - (b.uid ?? 65536) || a.hotkey.localeCompare(b.hotkey),
      );
    },
    { what: `read commitments of subnet ${netuid} at ${blockHash}` },
  );
}

interface OptionCodec extends Codec {
  readonly isNone: boolean;
  unwrap(): Codec;
}

interface EnumCodec extends Codec {
  readonly type: string;
  readonly value: Codec;
}

function decodeRegistration(ref: HotkeyRef, registration: Codec): CommitmentRecord {
  const reg = registration as unknown as { block: Codec; info: { fields: EnumCodec[] } };
  const block = Number(reg.block.toString());
  const fields = [...reg.info.fields];
  const base = { hotkey: ref.hotkey, uid: ref.uid, block };
  const only = fields.length === 1 ? fields[0] : undefined;
  if (!only || !/^(Raw\d+|BigRaw)$/.test(only.type)) {
    const kinds = fields.map((f) => f.type).join(', ') || 'no fields';
    return {
      ...base,
      text: null,
      parsed: {
        ok: false,
        reason: 'foreign',
        message: `not a podium commitment (${kinds}); podium commits one Raw field`,
      },
    };
  }
  const { text, parsed } = parseCommitmentBytes(only.value.toU8a(only.type !== 'BigRaw'));
  return { ...base, text, parsed };
}

/** Where a miner's commitment landed. */
export interface CommitResult {
  readonly text: string;
  readonly block: number;
  readonly blockHash: `0x${string}`;
  readonly extrinsicHash: `0x${string}`;
}

/**
 * Commits `podium/1 <contestId> <sha256>` for `keypair`'s hotkey on `netuid` and waits until it
 * is in a block. Refuses before sending, with ChainError('input'), when the hotkey is not
 * registered, and with ChainError('rate-limit') when this epoch's commitment space is used up
 * (the message gives the block of the next epoch). Other failures: see signAndWait.
 */
export async function commitSubmission(
  api: ApiPromise,
  keypair: KeyringPair,
  netuid: number,
  contestId: string,
  sha256: string,
  options: { waitFor?: 'inBlock' | 'finalized' } = {},
): Promise<CommitResult> {
  const text = formatCommitment(contestId, sha256);
  const bytes = stringToU8a(text);
  await preflight(api, keypair.address, netuid, bytes.length);
  const { fn } = requireCall(api, 'commitments', 'setCommitment', [['netuid', 'info']]);
  const tx = fn(netuid, { fields: [{ [`Raw${bytes.length}`]: u8aToHex(bytes) }] });
  const inclusion = await signAndWait(api, keypair, tx, {
    what: `commit "${text}" for ${keypair.address} on subnet ${netuid}`,
    waitFor: options.waitFor ?? 'inBlock',
  });
  return {
    text,
    block: inclusion.blockNumber,
    blockHash: inclusion.blockHash,
    extrinsicHash: inclusion.extrinsicHash,
  };
}

async function preflight(
  api: ApiPromise,
  hotkey: string,
  netuid: number,
  length: number,
): Promise<void> {
  const [uid, usage, maxSpace, tempo, header] = await Promise.all([
    requireStorage(api, 'subtensorModule', 'uids')(netuid, hotkey),
    requireStorage(api, 'commitments', 'usedSpaceOf')(netuid, hotkey),
    requireStorage(api, 'commitments', 'maxSpace')(),
    requireStorage(api, 'subtensorModule', 'tempo')(netuid),
    api.rpc.chain.getHeader(),
  ]);
  if ((uid as OptionCodec).isNone) {
    throw new ChainError(
      'input',
      `hotkey ${hotkey} is not registered on subnet ${netuid}; only registered hotkeys may commit ` +
        '(register it first, e.g. btcli subnet register)',
    );
  }
  const next = header.number.toNumber() + 1;
  const check = commitmentSpace({
    block: next,
    netuid,
    tempo: Number(tempo.toString()),
    maxSpace: Number(maxSpace.toString()),
    usage: (usage as OptionCodec).isNone
      ? null
      : ((usage as OptionCodec).unwrap().toJSON() as unknown as SpaceUsage),
    length,
  });
  if (!check.ok) {
    throw new ChainError(
      'rate-limit',
      `hotkey ${hotkey} has used ${check.used} of ${check.maxSpace} bytes of commitment space in this epoch ` +
        `(each commitment counts at least 100); the next epoch of subnet ${netuid} starts at block #${check.nextEpochBlock} ` +
        `(about ${check.nextEpochBlock - next + 1} blocks from now): commit again then`,
    );
  }
}

/** `Commitments.UsedSpaceOf` as JSON. */
export interface SpaceUsage {
  readonly lastEpoch: number;
  readonly usedSpace: number;
}

/**
 * Whether a commitment of `length` bytes fits this epoch's space (the runtime's rule: each
 * commitment uses max(length, 100); the count resets each epoch). Pure.
 */
export function commitmentSpace(input: {
  block: number;
  netuid: number;
  tempo: number;
  maxSpace: number;
  usage: SpaceUsage | null;
  length: number;
}): { ok: true } | { ok: false; used: number; maxSpace: number; nextEpochBlock: number } {
  const epoch = epochIndex(input.block, input.netuid, input.tempo);
  const used = input.usage && input.usage.lastEpoch === epoch ? input.usage.usedSpace : 0;
  if (used + Math.max(input.length, 100) <= input.maxSpace) return { ok: true };
  return {
    ok: false,
    used,
    maxSpace: input.maxSpace,
    nextEpochBlock: firstBlockOfEpoch(epoch + 1, input.netuid, input.tempo),
  };
}

/** Subtensor's epoch index of `block` on `netuid`: (block + netuid + 1) / (tempo + 1). Pure. */
export function epochIndex(block: number, netuid: number, tempo: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** First block of epoch `epoch` on `netuid` (Subtensor's get_first_block_of_epoch). Pure. */
export function firstBlockOfEpoch(epoch: number, netuid: number, tempo: number): number {
  return Math.max(0, epoch * (tempo + 1) - (netuid + 1));
}
