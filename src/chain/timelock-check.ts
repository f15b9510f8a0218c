/**
 * Did the runtime apply a timelocked commit? The runtime drops a commit that fails to decrypt
 * with nothing but a trace log, so podium checks on chain itself after the reveal block: the
 * commit gone from storage, the runtime's reveal event for this hotkey, and
 * `Weights(netuid, uid)` at that block equal to the committed vector. When it was not applied, the reason is
 * diagnosed from the chain's pulse for the reveal round (absent, not quicknet's signature, or
 * one that does not open this ciphertext).
 */
import type { ApiPromise } from '@polkadot/api';
import { hexToU8a } from '@polkadot/util';
import { withRetries } from './connect.js';
import { ChainError } from './errors.js';
import { requireStorage } from './runtime.js';
import type { WeightsDocument } from '../documents/weights.js';
import { readWeightsAt } from './subnet-params.js';
import { pulseProblem, timelockDecrypt } from './timelock.js';

/** The outcome of a timelocked commit, as read on chain. */
export interface TimelockOutcome {
  readonly status: 'revealed' | 'not-revealed' | 'pending';
  readonly reason: string;
  readonly checkedAt: { readonly number: number; readonly hash: `0x${string}` };
  /** Block of the reveal event (null when not revealed, or its events were pruned). */
  readonly revealedAt: number | null;
  readonly readBack: { uid: number; value: number }[] | null;
}

/** Storage items that hold pending timelocked commits, by runtime generation. */
const PENDING_ITEMS = ['crv3WeightCommits', 'timelockedWeightCommits'] as const;

/**
 * Checks the timelocked commit recorded in `doc` (status "committed", path timelock-*) at the
 * best block. Returns "pending" while the commit is stored or its reveal block is ahead,
 * "revealed" when the chain holds exactly the committed weights from a block after the commit,
 * "not-revealed" with the reason otherwise. Throws ChainError('input') for a document without a
 * landed timelocked commit; connection failures surface as ChainError after retries.
 */
export async function checkTimelockedCommit(
  api: ApiPromise,
  doc: WeightsDocument,
): Promise<TimelockOutcome> {
  const t = doc.timelock;
  if (!t?.commit) {
    throw new ChainError(
      'input',
      `weights document has no landed timelocked commit (status "${doc.status}")`,
    );
  }
  const header = await withRetries(api, () => api.rpc.chain.getHeader(), {
    what: 'read the best block',
  });
  const checkedAt = { number: header.number.toNumber(), hash: header.hash.toHex() };
  const base = { checkedAt, revealedAt: null, readBack: null };
  if (await stillStored(api, doc.netuid, t.ciphertext, checkedAt.hash)) {
    const reason =
      checkedAt.number < t.expectedRevealBlock
        ? `committed at #${t.commit.number}; the reveal is expected at #${t.expectedRevealBlock} (now #${checkedAt.number})`
        : `the commit is still stored at #${checkedAt.number}, past its reveal block #${t.expectedRevealBlock}: ` +
          `waiting for drand round ${t.revealRound} on chain`;
    return { ...base, status: 'pending', reason };
  }
  const expected = doc.weights.map((w) => ({ uid: w.uid, value: w.value }));
  const revealed = await findRevealEvent(api, doc, checkedAt.number);
  if (revealed) {
    const weights = await readWeightsAt(api, doc.netuid, doc.validatorUid, revealed.hash);
    if (sameWeights(weights, expected)) {
      return {
        ...base,
        status: 'revealed',
        reason: `the runtime revealed and applied the committed weights at #${revealed.number} (drand round ${t.revealRound})`,
        revealedAt: revealed.number,
        readBack: weights,
      };
    }
    return {
      ...base,
      status: 'not-revealed',
      reason: `the runtime revealed a commit of this hotkey at #${revealed.number} but the chain holds other weights than the committed ones`,
      readBack: weights,
    };
  }
  const now = await readWeightsAt(api, doc.netuid, doc.validatorUid, checkedAt.hash);
  if (sameWeights(now, expected) && !(await heldBefore(api, doc, expected))) {
    return {
      ...base,
      status: 'revealed',
      reason:
        `the chain holds the committed weights at #${checkedAt.number} and did not at the commit block ` +
        "(the reveal block's events are no longer available)",
      readBack: now,
    };
  }
  return { ...base, status: 'not-revealed', reason: await diagnose(api, doc, checkedAt.hash) };
}

/** Reveal events podium recognises (CRv3 and v4 runtimes). */
const REVEAL_EVENTS = new Set(['CRV3WeightsRevealed', 'TimelockedWeightsRevealed']);
/** How many blocks past the expected reveal podium scans for the reveal event. */
const SCAN_BLOCKS = 400;

async function findRevealEvent(
  api: ApiPromise,
  doc: WeightsDocument,
  head: number,
): Promise<{ number: number; hash: `0x${string}` } | null> {
  const t = doc.timelock!;
  // spec 293 reveals in the last block of the epoch before the one the client formula names.
  const from = Math.max(t.commit!.number + 1, t.expectedRevealBlock - 1);
  const to = Math.min(head, from + SCAN_BLOCKS);
  for (let number = from; number <= to; number += 1) {
    const hash = (await api.rpc.chain.getBlockHash(number)).toHex();
    type Records = { event: { section: string; method: string; data: { toString(): string }[] } }[];
    let records: Records;
    try {
      const at = await api.at(hash);
      records = (await requireStorage(at, 'system', 'events')()) as unknown as Records;
    } catch (err) {
      if (err instanceof ChainError) throw err;
      return null; // state pruned: fall back to the weights the chain holds now
    }
    const ours = records.some(
      ({ event }) =>
        event.section === 'subtensorModule' &&
        REVEAL_EVENTS.has(event.method) &&
        event.data[0]?.toString() === String(doc.netuid) &&
        event.data[1]?.toString() === doc.validator,
    );
    if (ours) return { number, hash };
  }
  return null;
}

async function heldBefore(
  api: ApiPromise,
  doc: WeightsDocument,
  expected: readonly { uid: number; value: number }[],
): Promise<boolean> {
  const commitBlock = doc.timelock!.commit!.hash as `0x${string}`;
  const before = await readWeightsAt(api, doc.netuid, doc.validatorUid, commitBlock);
  return sameWeights(before, expected);
}

async function stillStored(
  api: ApiPromise,
  netuid: number,
  ciphertext: string,
  blockHash: `0x${string}`,
): Promise<boolean> {
  const at = await api.at(blockHash);
  const modules = at.query.subtensorModule as unknown as Record<string, unknown>;
  for (const item of PENDING_ITEMS) {
    if (!modules[item]) continue;
    const entries = await requireStorage(at, 'subtensorModule', item).entries(netuid);
    if (entries.some(([, value]) => JSON.stringify(value.toJSON()).includes(ciphertext)))
      return true;
  }
  return false;
}

function sameWeights(
  a: readonly { uid: number; value: number }[],
  b: readonly { uid: number; value: number }[],
): boolean {
  const key = (ws: readonly { uid: number; value: number }[]) =>
    ws
      .filter((w) => w.value > 0)
      .map((w) => `${w.uid}:${w.value}`)
      .join(',');
  return key(a) === key(b);
}

async function diagnose(
  api: ApiPromise,
  doc: WeightsDocument,
  blockHash: `0x${string}`,
): Promise<string> {
  const t = doc.timelock!;
  const at = await api.at(blockHash);
  const pulse = (await requireStorage(at, 'drand', 'pulses')(t.revealRound)).toJSON() as {
    signature?: string;
  } | null;
  const prefix = `the commit is gone from storage but the chain does not hold the committed weights`;
  if (!pulse?.signature) {
    return `${prefix}: no drand pulse for round ${t.revealRound} was on chain when the runtime looked, so it dropped the commit`;
  }
  const problem = pulseProblem(t.revealRound, pulse.signature, t.beaconPublicKey);
  if (problem) {
    return `${prefix}: the chain's pulse for round ${t.revealRound} is invalid (${problem}), so the runtime could not decrypt the commit`;
  }
  try {
    timelockDecrypt(hexToU8a(t.ciphertext), pulse.signature);
  } catch (err) {
    return `${prefix}: the commit does not open with round ${t.revealRound}'s pulse (${(err as Error).message})`;
  }
  return (
    `${prefix}: it opens with round ${t.revealRound}'s pulse, so the runtime refused to set the weights ` +
    '(version key, rate limit or validator permit at the reveal block)'
  );
}
