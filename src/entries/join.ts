/**
 * Joining entry files with on-chain commitments at the cutoff: the pure core of collect. Every
 * entry file and every commitment for this contest ends up either as a round.json submission
 * or in `rejected` with a reason code and a message that says what to do. When two hotkeys
 * commit the same sha256, the earlier commitment block wins and the later is rejected as a
 * copy (same block: the lower uid wins). An entry naming one of the contest's own artifacts (the
 * baseline, a pinned inputs archive) is refused as `contest-artifact`: it could only ever be a
 * copy, and in the benchmark it would share a cache slot with the baseline. See
 * docs/adr/0053-join-at-cutoff.md and docs/adr/0111-subjects-held-apart.md.
 */
import type { ParsedCommitment } from '../chain/commitment.js';
import type { Contest } from '../contest/load.js';
import type { RoundRejected, RoundSubmission } from '../documents/round.js';
import { checkEntryFile, entryLocation, type CheckId } from './checks.js';
import type { EntriesSnapshot } from './history.js';

/** A commitment read at the cutoff block (the chain layer's CommitmentRecord fits). */
export interface CommitmentAtCutoff {
  readonly hotkey: string;
  readonly block: number;
  readonly text: string | null;
  readonly parsed: ParsedCommitment;
}

/** A registered neuron at the cutoff block (the chain layer's Neuron fits). */
export interface NeuronAtCutoff {
  readonly uid: number;
  readonly hotkey: string;
}

/** Everything the join decides from. */
export interface JoinInput {
  readonly contest: Contest;
  /** The cutoff instant (for "the contest accepts entries"). */
  readonly cutoff: Date;
  /** Entry files as of the cutoff (see entriesAtCutoff). */
  readonly snapshot: EntriesSnapshot;
  readonly commitments: readonly CommitmentAtCutoff[];
  readonly neurons: readonly NeuronAtCutoff[];
  /** Accept `file:` model URLs (local demo); production rounds do not. */
  readonly allowFileUrls?: boolean;
}

/** round.json's `submissions` and `rejected`, sorted. */
export interface JoinResult {
  readonly submissions: RoundSubmission[];
  readonly rejected: RoundRejected[];
}

/** The reason code of an entry file that fails an offline check. */
const OFFLINE_REASON: Record<CheckId, string> = {
  path: 'invalid-path',
  size: 'entry-too-large',
  schema: 'invalid-entry',
  'file-name': 'file-name-mismatch',
  'contest-id': 'wrong-contest',
  signature: 'invalid-signature',
  contest: 'unknown-contest',
  open: 'contest-closed',
  'artifact-size': 'artifact-too-large',
  'url-https': 'url-not-https',
  'url-reachable': 'url-unreachable',
  registration: 'unregistered-hotkey',
  commitment: 'no-commitment',
};

const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

/** Joins entries and commitments into submissions and rejections. Pure; never throws. */
export function joinEntries(input: JoinInput): JoinResult {
  const uidOf = new Map(input.neurons.map((n) => [n.hotkey, n.uid]));
  const commitmentOf = new Map(input.commitments.map((c) => [c.hotkey, c]));
  const rejected: RoundRejected[] = [];
  const reject = (hotkey: string | null, reason: string, message: string) =>
    rejected.push({
      hotkey,
      uid: hotkey === null ? null : (uidOf.get(hotkey) ?? null),
      reason,
      message,
    });

  const seen = new Set<string>();
  const valid = validEntries(input, reject, seen);
  const candidates: RoundSubmission[] = [];
  for (const entry of valid) {
    const made = submissionFor(
      entry,
      input,
      uidOf.get(entry.hotkey),
      commitmentOf.get(entry.hotkey),
    );
    if ('reason' in made) reject(entry.hotkey, made.reason, made.message);
    else candidates.push(made);
  }
  for (const c of input.commitments) {
    if (seen.has(c.hotkey) || !c.parsed.ok || c.parsed.contestId !== input.contest.id) continue;
    reject(
      c.hotkey,
      'no-entry',
      `commitment "${c.text}" (block ${c.block}) names this contest, but there is no entry file ` +
        `${entryPathFor(input.contest.id, c.hotkey)} at ${commitName(input.snapshot)}: open a PR adding it ` +
        '(podium entry create) before the cutoff',
    );
  }
  const submissions = dropCopies(candidates, reject);
  submissions.sort((a, b) => a.uid - b.uid);
  rejected.sort(
    (a, b) =>
      cmp(a.hotkey ?? '', b.hotkey ?? '') || cmp(a.reason, b.reason) || cmp(a.message, b.message),
  );
  return { submissions, rejected };
}

interface ValidEntry {
  readonly path: string;
  readonly hotkey: string;
  readonly model: RoundSubmission['model'];
  readonly source: string | undefined;
}

type Reject = (hotkey: string | null, reason: string, message: string) => void;

/** Checks every file offline; rejects the failures; adds every hotkey named to `seen`. */
function validEntries(input: JoinInput, reject: Reject, seen: Set<string>): ValidEntry[] {
  const byHotkey = new Map<string, ValidEntry[]>();
  for (const file of input.snapshot.files) {
    const report = checkEntryFile({
      path: file.path,
      bytes: file.bytes,
      contest: input.contest,
      now: input.cutoff,
      allowFileUrls: input.allowFileUrls === true,
    });
    const failed = report.checks.find((c) => c.status === 'fail');
    const hotkey = report.entry?.hotkey ?? hotkeyOfPath(file.path);
    for (const named of [hotkey, hotkeyOfPath(file.path)]) if (named !== null) seen.add(named);
    if (failed !== undefined || report.entry === null) {
      const why = failed
        ? `${failed.detail}${failed.fix ? `; fix: ${failed.fix}` : ''}`
        : 'invalid';
      reject(
        hotkey !== null && SS58.test(hotkey) ? hotkey : null,
        OFFLINE_REASON[failed?.id ?? 'schema'],
        `${file.path}: ${why}`,
      );
      continue;
    }
    const e = report.entry;
    const entry = { path: file.path, hotkey: e.hotkey, model: { ...e.model }, source: e.source };
    byHotkey.set(e.hotkey, [...(byHotkey.get(e.hotkey) ?? []), entry]);
  }
  const out: ValidEntry[] = [];
  for (const [hotkey, entries] of byHotkey) {
    if (entries.length === 1) out.push(entries[0] as ValidEntry);
    else {
      const paths = entries.map((e) => e.path).join(', ');
      reject(
        hotkey,
        'duplicate-hotkey',
        `hotkey has ${entries.length} entry files (${paths}); keep exactly one`,
      );
    }
  }
  return out;
}

function submissionFor(
  entry: ValidEntry,
  input: JoinInput,
  uid: number | undefined,
  commitment: CommitmentAtCutoff | undefined,
): RoundSubmission | { reason: string; message: string } {
  const contestId = input.contest.id;
  const commit = `podium/1 ${contestId} ${entry.model.sha256}`;
  if (uid === undefined) {
    return {
      reason: 'unregistered-hotkey',
      message: `hotkey is not registered on netuid ${input.contest.chain.netuid} at the cutoff block`,
    };
  }
  if (commitment === undefined) {
    return {
      reason: 'no-commitment',
      message: `no commitment at the cutoff block; commit "${commit}" (podium commit)`,
    };
  }
  const p = commitment.parsed;
  if (!p.ok) {
    return {
      reason: 'malformed-commitment',
      message: `commitment at block ${commitment.block} is not usable: ${p.message}; commit "${commit}"`,
    };
  }
  if (p.contestId !== contestId) {
    return {
      reason: 'other-contest',
      message: `commitment at block ${commitment.block} names contest "${p.contestId}", not "${contestId}"`,
    };
  }
  const own = contestArtifacts(input.contest).find((a) => a.sha256 === entry.model.sha256);
  if (own !== undefined) {
    return {
      reason: 'contest-artifact',
      message:
        `${entry.path} names sha256 ${own.sha256}, the contest's own ${own.what}: ` +
        'submit a model of your own',
    };
  }
  if (p.sha256 !== entry.model.sha256) {
    return {
      reason: 'hash-mismatch',
      message: `commitment names sha256 ${p.sha256} but ${entry.path} declares ${entry.model.sha256}`,
    };
  }
  return {
    uid,
    hotkey: entry.hotkey,
    model: entry.model,
    commitment: { block: commitment.block, text: commitment.text ?? commit },
    entry: {
      path: entry.path,
      commit: input.snapshot.commit ?? '',
      ...(entry.source !== undefined ? { source: entry.source } : {}),
    },
  };
}

/** Every artifact the contest file itself pins, with what it is. */
export function contestArtifacts(contest: Contest): { what: string; sha256: string }[] {
  const out = [{ what: 'baseline model', sha256: contest.baseline.model.sha256 }];
  const source = contest.inputs.source;
  if (source.type === 'archive')
    out.push({ what: 'inputs archive', sha256: source.archive.sha256 });
  return out;
}

function dropCopies(candidates: RoundSubmission[], reject: Reject): RoundSubmission[] {
  const order = [...candidates].sort(
    (a, b) => a.commitment.block - b.commitment.block || a.uid - b.uid || cmp(a.hotkey, b.hotkey),
  );
  const first = new Map<string, RoundSubmission>();
  const kept: RoundSubmission[] = [];
  for (const s of order) {
    const earlier = first.get(s.model.sha256);
    if (earlier === undefined) {
      first.set(s.model.sha256, s);
      kept.push(s);
      continue;
    }
    reject(
      s.hotkey,
      'copy',
      `model sha256 ${s.model.sha256} was committed first by ${earlier.hotkey} (uid ${earlier.uid}) at ` +
        `block ${earlier.commitment.block}; this commitment is at block ${s.commitment.block}`,
    );
  }
  return kept;
}

function hotkeyOfPath(path: string): string | null {
  const stem = entryLocation(path)?.stem;
  return stem !== undefined && SS58.test(stem) ? stem : null;
}

function entryPathFor(contestId: string, hotkey: string): string {
  return `contests/${contestId}/entries/${hotkey}.json`;
}

function commitName(snapshot: EntriesSnapshot): string {
  return snapshot.commit === null
    ? 'the cutoff (no commit yet)'
    : `commit ${snapshot.commit.slice(0, 12)}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
