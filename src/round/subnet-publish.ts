/**
 * publish for a netuid shared by several contests (a subnet file, src/subnet/): reads each
 * contest's latest committed score, combines them (src/subnet/combine.ts), sets the one vector
 * with the chain layer's publishWeights, writes the same weights.json (with each contest's part)
 * into every round it publishes, and signs those rounds' index entries with the same key.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { metagraphAt } from '../chain/metagraph.js';
import { publishWeights } from '../chain/publish.js';
import { requireStorage } from '../chain/runtime.js';
import { versionKeyOf } from '../chain/weights.js';
import { RoundSchema } from '../documents/round.js';
import type { IndexEntryDocument } from '../documents/results-index.js';
import { WeightsSchema, type WeightsDocument } from '../documents/weights.js';
import { canonicalJson } from '../json/canonical.js';
import { readDocument, writeDocument, writeFileAtomic } from '../json/file.js';
import { ResultsError } from '../results/errors.js';
import { INDEX_FILE, readIndex, signRound } from '../results/index.js';
import { sha256Hex } from '../results/sign.js';
import { combineContests, quantiseCombined, type CombineContest } from '../subnet/combine.js';
import type { LoadedSubnet } from '../subnet/load.js';
import { PODIUM_VERSION } from '../version.js';
import { checkIndexed, readScore } from './publish.js';

/** Which rounds a subnet publish reads and signs. */
export type SubnetSelection =
  /** The workflow's round job: this contest's round (signed); the others' latest committed. */
  | { readonly kind: 'round'; readonly contest: string; readonly round: string }
  /** Every contest's latest committed round; signs each one not yet indexed. */
  | { readonly kind: 'pending' }
  /** Every contest's last signed round (hash-checked against its index); signs nothing. */
  | { readonly kind: 'signed' };

/** What publishSubnet needs. */
export interface SubnetPublishInput {
  readonly api: ApiPromise;
  readonly key: KeyringPair;
  readonly subnet: LoadedSubnet;
  /** The `results/` folder holding `results/<contest>/`. */
  readonly resultsRoot: string;
  readonly log?: (line: string) => void;
  readonly dryRun?: boolean;
}

/** What publishSubnet produced. */
export interface PublishedSubnet {
  readonly weights: WeightsDocument;
  /** The rounds signed, with their entries. */
  readonly signed: readonly { contest: string; round: string; entry: IndexEntryDocument }[];
  /** Files written under `out`, relative to it. */
  readonly files: readonly string[];
}

interface Latest {
  readonly contest: string;
  readonly round: string;
  readonly pending: boolean;
  readonly cutoffMs: number;
  readonly normalised: Readonly<Record<string, number>>;
  readonly source: { path: string; sha256: string };
}

/**
 * Publishes the subnet's combined vector once and records it in every round it signs. With
 * `kind: 'round'`, record files go to `out/index.json` and `out/<round>/weights.json` (the
 * round workflow's record artifact); otherwise to `out/<contest>/…` for each signed contest.
 * Throws ResultsError (a round not committed or already indexed, a signed score that differs
 * from its index), ChainError from the chain layer.
 */
export async function publishSubnet(
  input: SubnetPublishInput,
  selection: SubnetSelection,
  out: string,
): Promise<PublishedSubnet> {
  const latest = new Map<string, Latest | null>();
  for (const m of input.subnet.members) latest.set(m.id, await latestOf(input, m.id, selection));
  const weights = await send(input, latest);
  const toSign = [...latest.values()].filter(
    (l): l is Latest =>
      l !== null &&
      l.pending &&
      (selection.kind === 'pending' ||
        (selection.kind === 'round' && l.contest === selection.contest)),
  );
  const signed: { contest: string; round: string; entry: IndexEntryDocument }[] = [];
  const files: string[] = [];
  for (const l of toSign) {
    const resultsDir = join(input.resultsRoot, l.contest);
    const text = await writeDocument(
      join(resultsDir, l.round, 'weights.json'),
      WeightsSchema,
      weights,
    );
    const { index, entry } = await signRound(resultsDir, l.round, input.key);
    const prefix = selection.kind === 'round' ? '' : `${l.contest}/`;
    await writeFileAtomic(join(out, prefix, INDEX_FILE), canonicalJson(index));
    await writeFileAtomic(join(out, prefix, l.round, 'weights.json'), text);
    files.push(`${prefix}${INDEX_FILE}`, `${prefix}${l.round}/weights.json`);
    signed.push({ contest: l.contest, round: l.round, entry });
  }
  return { weights, signed, files };
}

async function latestOf(
  input: SubnetPublishInput,
  contest: string,
  selection: SubnetSelection,
): Promise<Latest | null> {
  const resultsDir = join(input.resultsRoot, contest);
  const index = await readIndex(resultsDir);
  const last = index.entries.at(-1);
  let round: string | undefined;
  if (selection.kind === 'round' && selection.contest === contest) {
    round = selection.round;
    if (last !== undefined && round <= last.round) {
      throw new ResultsError(
        join(resultsDir, INDEX_FILE),
        `round ${round} is not newer than the last indexed round ${last.round}: nothing to publish`,
      );
    }
  } else if (selection.kind === 'signed') {
    round = last?.round;
  } else {
    round = (await committedRounds(resultsDir)).at(-1) ?? last?.round;
  }
  if (round === undefined) return null;
  const { score, bytes, source } = await readScore(resultsDir, round);
  const pending = last === undefined || round > last.round;
  if (!pending && last) checkIndexed(last, bytes, source.path);
  const roundDoc = await readDocument(join(resultsDir, round, 'round.json'), RoundSchema);
  return {
    contest,
    round,
    pending,
    cutoffMs: roundDoc.cutoff.blockTimestampMs,
    normalised: score.weights.normalised,
    source,
  };
}

/** Round folders of `resultsDir` that hold a score.json, oldest first. */
async function committedRounds(resultsDir: string): Promise<string[]> {
  const entries = await readdir(resultsDir, { withFileTypes: true }).catch(() => []);
  const rounds: string[] = [];
  for (const e of entries
    .filter((d) => d.isDirectory())
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const has = await readFile(join(resultsDir, e.name, 'score.json')).then(
      () => true,
      () => false,
    );
    if (has) rounds.push(e.name);
  }
  return rounds;
}

async function send(
  input: SubnetPublishInput,
  latest: ReadonlyMap<string, Latest | null>,
): Promise<WeightsDocument> {
  const { subnet, members, file } = input.subnet;
  const head = (await input.api.rpc.chain.getHeader()).hash.toHex();
  const metagraph = await metagraphAt(input.api, subnet.netuid, head);
  const nowMs = Number((await requireStorage(input.api, 'timestamp', 'now').at(head)).toString());
  const contests: CombineContest[] = members.map((m) => {
    const l = latest.get(m.id) ?? null;
    const score = l && { round: l.round, cutoffMs: l.cutoffMs, normalised: l.normalised };
    return { id: m.id, share: m.share, maxRoundAgeHours: m.maxRoundAgeHours, latest: score };
  });
  const combined = combineContests({ contests, overlap: subnet.overlap, nowMs });
  for (const c of combined.contests) {
    if (c.message)
      input.log?.(
        `${c.message}: its share ${c.share} goes to the fallback uid ${subnet.fallbackUid}`,
      );
  }
  const fallbackHotkey =
    metagraph.neurons.find((n) => n.uid === subnet.fallbackUid)?.hotkey ?? null;
  if (fallbackHotkey === null && combined.fallback > 0) {
    input.log?.(
      `the fallback uid ${subnet.fallbackUid} is not registered now: its share ${combined.fallback} is not set`,
    );
  }
  const byHotkey = quantiseCombined(combined, fallbackHotkey);
  const bytes = await readFile(file);
  const source = { path: file, sha256: sha256Hex(bytes) };
  const doc = await publishWeights(input.api, input.key, subnet.netuid, byHotkey, {
    versionKey: versionKeyOf(PODIUM_VERSION),
    source,
    dryRun: input.dryRun,
    log: input.log,
  });
  const parts = combined.contests.map((c) => ({
    ...c,
    source: latest.get(c.id)?.source ?? null,
  }));
  return {
    ...doc,
    subnet: {
      file,
      sha256: source.sha256,
      fallbackUid: subnet.fallbackUid,
      overlap: subnet.overlap,
      contests: parts,
      byHotkey: combined.byHotkey,
      fallback: combined.fallback,
    },
  };
}
