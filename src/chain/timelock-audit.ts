/**
 * Offline audit of a timelocked commit, once drand has published the pulse of its reveal round:
 * the pulse must verify against the beacon key, the committed ciphertext (recorded in
 * weights.json) must open with it, and the payload must be exactly the vector derived from the
 * round's committed score.json — so anyone can check what podium committed, with no chain and
 * no network. Pure, apart from reading files in auditRoundFiles.
 */
import { readdir, readFile } from 'node:fs/promises';
import { hexToU8a } from '@polkadot/util';
import { ChainError } from './errors.js';
import type { WeightsDocument } from '../documents/weights.js';
import { decodeTlockPayload, type TlockPayload } from './timelock-payload.js';
import { pulseProblem, timelockDecrypt } from './timelock.js';
import { toU16 } from './weights.js';

/** A drand pulse: round and 48-byte signature (hex). */
export interface Pulse {
  readonly round: number;
  readonly signature: string;
}

/** The weights part of a score document that the audit needs. */
export interface ScoreWeights {
  readonly u16: Readonly<Record<string, number>>;
  readonly fallback: { readonly uid: number; readonly u16: number } | null;
}

/** The audit's verdict: the decrypted payload, and every difference found (none: ok). */
export interface TimelockAudit {
  readonly ok: boolean;
  readonly payload: TlockPayload | null;
  readonly problems: readonly string[];
}

/**
 * The u16 vector (in weights.json's uid order) that `score` gives the hotkeys weights.json
 * mapped: the score's values max-scaled to 65535, or all weight to the fallback uid. Pure.
 */
export function derivedValues(doc: WeightsDocument, score: ScoreWeights): number[] {
  const earned = Object.values(score.u16).some((v) => v > 0);
  if (!earned && score.fallback) {
    return doc.weights.map((w) => (w.uid === score.fallback!.uid ? 65535 : 0));
  }
  return toU16(doc.weights.map((w) => score.u16[w.hotkey] ?? 0));
}

/**
 * Audits the timelocked commit of `doc` with `pulse`. Throws ChainError('input') when `doc`
 * records no timelocked commit; every other failure is a problem in the result.
 */
export function auditTimelock(
  doc: WeightsDocument,
  pulse: Pulse,
  score: ScoreWeights,
): TimelockAudit {
  const t = doc.timelock;
  if (!t) throw new ChainError('input', 'weights.json records no timelocked commit');
  const fail = (problem: string): TimelockAudit => ({
    ok: false,
    payload: null,
    problems: [problem],
  });
  if (pulse.round !== t.revealRound) {
    return fail(
      `the pulse is for round ${pulse.round}; the commit opens with round ${t.revealRound}`,
    );
  }
  const bad = pulseProblem(pulse.round, pulse.signature, t.beaconPublicKey);
  if (bad) return fail(`the pulse does not verify: ${bad}`);
  let payload: TlockPayload;
  try {
    const plain = timelockDecrypt(hexToU8a(t.ciphertext), pulse.signature);
    payload = decodeTlockPayload(plain, t.scheme === 'v4' ? 'v4' : 'legacy');
  } catch (err) {
    return fail(`the committed ciphertext does not open: ${(err as Error).message}`);
  }
  const problems: string[] = [];
  const show = (xs: readonly number[]) => `[${xs.join(',')}]`;
  const uids = doc.weights.map((w) => w.uid);
  const values = doc.weights.map((w) => w.value);
  if (show(payload.uids) !== show(uids)) {
    problems.push(`committed uids ${show(payload.uids)} differ from weights.json ${show(uids)}`);
  }
  if (show(payload.values) !== show(values)) {
    problems.push(
      `committed values ${show(payload.values)} differ from weights.json ${show(values)}`,
    );
  }
  const derived = derivedValues(doc, score);
  if (show(payload.values) !== show(derived)) {
    problems.push(
      `committed values ${show(payload.values)} differ from score.json's ${show(derived)}`,
    );
  }
  if (payload.versionKey !== doc.versionKey) {
    problems.push(
      `committed version_key ${payload.versionKey}, weights.json says ${doc.versionKey}`,
    );
  }
  if (payload.hotkey !== null && payload.hotkey !== doc.validator) {
    problems.push(`committed hotkey ${payload.hotkey} is not the validator ${doc.validator}`);
  }
  return { ok: problems.length === 0, payload, problems };
}

/**
 * Reads a pulse given as a file (drand's JSON: `{ "round", "signature", … }`) or as
 * `<round>:<signature hex>`. Throws ChainError('input') naming the file or value.
 */
export async function readPulse(spec: string): Promise<Pulse> {
  const inline = /^(\d+):(?:0x)?([0-9a-fA-F]+)$/.exec(spec);
  if (inline) return { round: Number(inline[1]), signature: inline[2]!.toLowerCase() };
  const text = await readFile(spec, 'utf8').catch(() => {
    throw new ChainError(
      'input',
      `--pulse ${spec}: neither <round>:<signature> nor a readable file`,
    );
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ChainError('input', `${spec}: not JSON (expected drand's { "round", "signature" })`);
  }
  const { round, signature } = (data ?? {}) as { round?: unknown; signature?: unknown };
  if (!Number.isSafeInteger(round) || typeof signature !== 'string') {
    throw new ChainError('input', `${spec}: expected { "round": <integer>, "signature": "<hex>" }`);
  }
  return { round: round as number, signature: signature.replace(/^0x/, '').toLowerCase() };
}

/** One audited round: its folder name and the verdict (or why it was not audited). */
export interface RoundAudit {
  readonly round: string;
  readonly ok: boolean;
  readonly line: string;
}

/**
 * Audits every round folder of `resultsDir` whose weights.json records a timelocked commit
 * whose reveal round has a pulse in `pulses`; rounds without a pulse are reported as not
 * audited (ok). Throws ChainError('input') when a pulse matches no commit.
 */
export async function auditRounds(
  resultsDir: string,
  rounds: readonly string[],
  pulses: readonly Pulse[],
): Promise<RoundAudit[]> {
  const used = new Set<number>();
  const out: RoundAudit[] = [];
  for (const round of rounds) {
    const doc = await readJson<WeightsDocument>(`${resultsDir}/${round}/weights.json`);
    if (!doc?.timelock) continue;
    const pulse = pulses.find((p) => p.round === doc.timelock!.revealRound);
    if (!pulse) {
      out.push({
        round,
        ok: true,
        line: `-    ${round} timelock: no pulse given for round ${doc.timelock.revealRound}`,
      });
      continue;
    }
    used.add(pulse.round);
    const score = await readJson<{ weights: ScoreWeights }>(`${resultsDir}/${round}/score.json`);
    if (!score) {
      out.push({ round, ok: false, line: `FAIL ${round} timelock: score.json is missing` });
      continue;
    }
    const audit = auditTimelock(doc, pulse, score.weights);
    out.push({
      round,
      ok: audit.ok,
      line: audit.ok
        ? `ok   ${round} timelock: opens with drand round ${pulse.round}; committed [${audit.payload!.values.join(',')}] = score.json's weights`
        : `FAIL ${round} timelock: ${audit.problems.join('; ')}`,
    });
  }
  const unused = pulses.filter((p) => !used.has(p.round)).map((p) => p.round);
  if (unused.length > 0) {
    throw new ChainError(
      'input',
      `--pulse for round ${unused.join(', ')}: no timelocked commit in ${resultsDir} opens with it`,
    );
  }
  return out;
}

async function readJson<T>(file: string): Promise<T | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as T);
}

/**
 * `podium verify --pulse`: reads each pulse spec (readPulse) and audits every round folder of
 * `resultsDir` (auditRounds). Throws ChainError('input') for a bad pulse spec.
 */
export async function auditWithPulses(
  resultsDir: string,
  specs: readonly string[],
): Promise<RoundAudit[]> {
  const pulses = await Promise.all(specs.map(readPulse));
  const rounds = (await readdir(resultsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return auditRounds(resultsDir, rounds, pulses);
}
