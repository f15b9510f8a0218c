/**
 * collect: freeze a round's inputs as round.json, the first file of
 * `results/<contest>/<round>/`. It composes the chain layer (cutoff block, metagraph and
 * commitments at that block) with the entries layer (entry files as of the cutoff commit, and
 * the join) and adds the seed. After this nothing is read from the chain or the repository
 * again for the round.
 *
 * Seed = "0x" + sha256(utf8("podium-seed/1:<contest>:<round>:<cutoff block hash>")): fixed by
 * the chain at the cutoff (nobody can choose it before), different per contest and round, and
 * recomputable by anyone from round.json (docs/adr/0062-round-seed.md).
 */
import { roundSeedText } from '../documents/seed.js';
import type { ApiPromise } from '@polkadot/api';
import { contestFileSha256 } from '../contest/hash.js';
import { readCommitments } from '../chain/commitments.js';
import { findCutoffBlock } from '../chain/cutoff.js';
import { metagraphAt } from '../chain/metagraph.js';
import { loadContest } from '../contest/load.js';
import { entriesAtCutoff } from '../entries/history.js';
import { joinEntries } from '../entries/join.js';
import type { RoundDocument } from '../documents/round.js';
import { schemaId } from '../schemas/builders.js';
import type { DueRound } from '../schedule/rounds.js';
import { PODIUM_VERSION, podiumCommit } from '../version.js';
import { sha256Hex } from '../results/sign.js';

/** What collectRound needs. */
export interface CollectInput {
  /** A connected api (connectChain) for the contest's chain. */
  readonly api: ApiPromise;
  /** The contest folder (`contests/<id>`). */
  readonly contestDir: string;
  /** The git repository whose history holds `contests/<id>/entries/` (usually the checkout). */
  readonly repo: string;
  /** The round to collect (planRound). */
  readonly round: DueRound;
  /** Git ref whose history is searched for the cutoff commit (default HEAD). */
  readonly ref?: string;
  /** Accept `file:` model URLs (local demo and tests only). */
  readonly allowFileUrls?: boolean;
}

/** The round seed: see the module comment. */
export function roundSeed(contest: string, round: string, blockHash: string): `0x${string}` {
  return `0x${sha256Hex(roundSeedText(contest, round, blockHash))}`;
}

/**
 * Builds round.json for `input.round`: cutoff block (the last finalized block at or before the
 * cutoff instant), the seed, every submission and every rejected candidate with its reason.
 * Returns the document (not written). Throws ChainError when the chain cannot answer (e.g. the
 * cutoff is past its head: retry later), GitHistoryError, or DocumentError for the contest.
 */
export async function collectRound(input: CollectInput): Promise<RoundDocument> {
  const { api, round } = input;
  const loaded = await loadContest(input.contestDir);
  const { contest } = loaded;
  const cutoffMs = Date.parse(round.cutoff);
  const block = await findCutoffBlock(api, cutoffMs);
  const metagraph = await metagraphAt(api, contest.chain.netuid, block.hash);
  const commitments = await readCommitments(
    api,
    contest.chain.netuid,
    block.hash,
    metagraph.neurons,
  );
  const snapshot = await entriesAtCutoff(input.repo, contest.id, new Date(cutoffMs), input.ref);
  const joined = joinEntries({
    contest,
    cutoff: new Date(cutoffMs),
    snapshot,
    commitments,
    neurons: metagraph.neurons,
    allowFileUrls: input.allowFileUrls,
  });
  return {
    $schema: schemaId('round'),
    version: 1,
    contest: { id: contest.id, sha256: await contestFileSha256(loaded.file) },
    id: round.id,
    cutoff: {
      instant: new Date(cutoffMs).toISOString(),
      block: block.number,
      blockHash: block.hash,
      blockTimestampMs: block.timestampMs,
    },
    seed: roundSeed(contest.id, round.id, block.hash),
    submissions: joined.submissions,
    rejected: joined.rejected,
    producer: { podiumVersion: PODIUM_VERSION, podiumCommit: podiumCommit() },
  };
}
