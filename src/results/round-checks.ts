/**
 * Checks of `podium verify` that tie a round's files to each other and to the trusted validator,
 * beyond their hashes: the round seed recomputed from the cutoff block hash (ADR 0062) and used
 * by every bench file, and weights.json naming the trusted validator, the entry's signer and the
 * very score.json the entry records (ADR 0150). Each problem names the file, the field and both
 * values. Reads only parsed texts and hashes through the source: the browser runs the same code.
 */
import type { IndexFileRecord } from '../documents/results-index.js';
import { roundSeedText } from '../documents/seed.js';
import { byCodeUnit, sig } from '../score/format.js';
import { combineContests, quantiseCombined, type ContestPart } from '../subnet/combine.js';
import { utf8Bytes, type ResultsSource } from './source.js';

type Json = Record<string, unknown>;

function parsed(text: string | undefined): Json | null {
  if (text === undefined) return null;
  try {
    const doc = JSON.parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Json) : null;
  } catch {
    return null; // reported by the schema check
  }
}

function at(doc: Json | null, ...keys: string[]): unknown {
  let v: unknown = doc;
  for (const k of keys) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Json)[k];
  }
  return v;
}

/**
 * round.json's seed against the one its cutoff block hash gives, and every bench file's
 * settings.seed against round.json's. `texts` are the round folder's files by relative path.
 */
export async function seedProblems(
  source: ResultsSource,
  contest: string,
  round: string,
  texts: ReadonlyMap<string, string>,
): Promise<string[]> {
  const doc = parsed(texts.get('round.json'));
  const seed = at(doc, 'seed');
  const blockHash = at(doc, 'cutoff', 'blockHash');
  if (typeof seed !== 'string' || typeof blockHash !== 'string') return [];
  const out: string[] = [];
  const wanted = `0x${await source.sha256(utf8Bytes(roundSeedText(contest, round, blockHash)))}`;
  if (seed !== wanted) {
    out.push(
      `${source.shown(`${round}/round.json`)}: /seed is ${seed}, but the cutoff block hash ` +
        `${blockHash} gives ${wanted} (sha256 of "${roundSeedText(contest, round, blockHash)}", ` +
        'ADR 0062): the round was not seeded by its cutoff block',
    );
  }
  for (const [path, text] of texts) {
    if (!path.startsWith('bench/')) continue;
    const used = at(parsed(text), 'settings', 'seed');
    if (typeof used === 'string' && used !== seed) {
      out.push(
        `${source.shown(`${round}/${path}`)}: /settings/seed is ${used}, not the round's seed ` +
          `${seed} (round.json /seed): it was measured with other inputs and block orders`,
      );
    }
  }
  return out;
}

/**
 * weights.json of an indexed round: it must name the trusted validator and the entry's signer,
 * its vector must be the one score.json asks for, and its source must be this round's
 * score.json with the sha256 the entry records.
 */
export function weightsProblems(
  source: ResultsSource,
  round: string,
  texts: ReadonlyMap<string, string>,
  files: readonly IndexFileRecord[],
  signer: string,
  validator: string | null,
): string[] {
  const doc = parsed(texts.get('weights.json'));
  if (doc === null) return [];
  const file = source.shown(`${round}/weights.json`);
  const out: string[] = [];
  const named = at(doc, 'validator');
  if (typeof named === 'string' && named !== signer) {
    out.push(`${file}: /validator is ${named}, but the index entry is signed by ${signer}`);
  } else if (typeof named === 'string' && validator !== null && named !== validator) {
    out.push(`${file}: /validator is ${named}, expected the validator ${validator}`);
  }
  const score = files.find((f) => f.path === 'score.json');
  const scoreDoc = parsed(texts.get('score.json'));
  const subnet = at(doc, 'subnet');
  if (typeof subnet === 'object' && subnet !== null) {
    return [...out, ...subnetProblems(file, doc, subnet as Json, round, scoreDoc, score?.sha256)];
  }
  out.push(...vectorProblems(file, doc, at(scoreDoc, 'weights', 'u16'), scoreDoc));
  const from = at(doc, 'source');
  if (from === null) {
    out.push(`${file}: /source is null: a round's weights must come from its score.json`);
    return out;
  }
  const path = at(from as Json, 'path');
  const sha = at(from as Json, 'sha256');
  if (typeof path === 'string' && !path.replaceAll('\\', '/').endsWith(`${round}/score.json`)) {
    out.push(`${file}: /source/path is "${path}", not this round's ${round}/score.json`);
  }
  if (typeof sha === 'string' && sha !== score?.sha256) {
    out.push(
      `${file}: /source/sha256 is ${sha}, but the index records score.json as ` +
        `${score?.sha256 ?? 'absent'}: the weights were not set from this score`,
    );
  }
  return out;
}

/**
 * weights.json's vector against score.json's weights, as publish derives it (src/round/weights.ts
 * weightsFromScore, src/chain/weights.ts): the positive u16 weights by hotkey, less the hotkeys it
 * dropped as unregistered, max-normalised to 65535; or everything to the fallback uid.
 */
function vectorProblems(
  file: string,
  weights: Json,
  u16: unknown,
  score: Json | null,
  from = "score.json's weights",
): string[] {
  const sent = at(weights, 'weights');
  if (typeof u16 !== 'object' || u16 === null || !Array.isArray(sent)) return [];
  const rows = sent as { uid: number; hotkey: string; value: number }[];
  const earned = Object.entries(u16 as Record<string, number>).filter(([, v]) => v > 0);
  const fallback = at(score, 'weights', 'fallback') as { uid: number; u16: number } | null | undefined;
  if (earned.length === 0 && fallback) {
    const positive = rows.filter((r) => r.value > 0);
    const one = positive.length === 1 && positive[0]?.uid === fallback.uid && positive[0]?.value === 65535;
    if (positive.length === 0 || one) return [];
    return [
      `${file}: /weights sends ${positive.map((r) => `uid ${r.uid} ${r.value}`).join(', ')}, but ` +
        `score.json gives all weight to the fallback uid ${fallback.uid}`,
    ];
  }
  const dropped = new Set(
    ((at(weights, 'dropped') ?? []) as { hotkey: string }[]).map((d) => d.hotkey),
  );
  const remaining = earned.filter(([h]) => !dropped.has(h));
  const max = Math.max(0, ...remaining.map(([, v]) => v));
  const expected = new Map(remaining.map(([h, v]) => [h, Math.round((v / max) * 65535)]));
  const got = new Map(rows.map((r) => [r.hotkey, r.value]));
  const out: string[] = [];
  for (const [hotkey, value] of expected) {
    if (got.get(hotkey) !== value) {
      out.push(
        `${file}: /weights sends ${hotkey} ${got.get(hotkey) ?? 'nothing'}, but ${from} ` +
          `give it ${value} (u16 ${(u16 as Record<string, number>)[hotkey]}, max-normalised)`,
      );
    }
  }
  for (const r of rows) {
    if (r.value > 0 && !expected.has(r.hotkey)) {
      const none = score ? 'score.json gives' : `${from} give`;
      out.push(`${file}: /weights sends ${r.hotkey} ${r.value}, but ${none} it no weight`);
    }
  }
  return out;
}

/**
 * weights.json of a subnet publish (docs/scoring.md § 11): this contest's part must name this
 * round and its score.json (the sha256 the entry records) and be what that score gives its
 * share; the sums must be the parts'; and the vector must be the combination's, quantised as
 * publish quantises it (src/subnet/combine.ts).
 */
function subnetProblems(
  file: string,
  weights: Json,
  subnet: Json,
  round: string,
  score: Json | null,
  scoreSha: string | undefined,
): string[] {
  const out: string[] = [];
  const id = at(score, 'contest', 'id');
  const parts = (at(subnet, 'contests') ?? []) as ContestPart[];
  const index = parts.findIndex((p) => p.id === id);
  const part = parts[index];
  if (!part) {
    return [`${file}: /subnet/contests has no part for contest ${String(id)}`];
  }
  const where = `${file}: /subnet/contests/${index}`;
  const source = at(part as unknown as Json, 'source') as { path: string; sha256: string } | null;
  if (part.round !== round) out.push(`${where}/round is ${part.round}, not this round ${round}`);
  if (!source || !source.path.replaceAll('\\', '/').endsWith(`${round}/score.json`)) {
    out.push(`${where}/source/path is ${JSON.stringify(source?.path ?? null)}, not this round's ${round}/score.json`);
  } else if (source.sha256 !== scoreSha) {
    out.push(
      `${where}/source/sha256 is ${source.sha256}, but the index records score.json as ` +
        `${scoreSha ?? 'absent'}: the weights were not set from this score`,
    );
  }
  const normalised = at(score, 'weights', 'normalised');
  if (part.status === 'scored' || part.status === 'no-earner') {
    const own = combineContests({
      contests: [
        {
          id: part.id,
          share: part.share,
          maxRoundAgeHours: Infinity,
          latest: { round, cutoffMs: 0, normalised: (normalised ?? {}) as Record<string, number> },
        },
      ],
      overlap: 'sum',
      nowMs: 0,
    }).contests[0]!;
    const largest = at(subnet, 'overlap') === 'largest';
    const given = part.parts as Record<string, number | undefined>;
    for (const hotkey of Object.keys({ ...own.parts, ...part.parts })) {
      // A hotkey the part leaves out is read as absent, not as the score's own value.
      const value = given[hotkey];
      const expected = own.parts[hotkey] ?? 0;
      // Under overlap "largest" a hotkey keeps only its largest part: a part may lose it.
      const fine = value === expected || (largest && (value ?? 0) === 0);
      if (!fine) {
        out.push(
          `${where}/parts/${hotkey} is ${value ?? 'absent'}, but this round's score.json gives it ` +
            `${expected} (share ${part.share} · normalised weight)`,
        );
      }
    }
    if (own.status !== part.status) {
      out.push(`${where}/status is ${part.status}, but this round's score.json makes it ${own.status}`);
    }
    // What the part sends the fallback uid: the score's own, plus under "largest" what it lost
    // (summed as keepLargest sums it), so the share cannot be moved off the earners unseen.
    const lost = Object.entries(own.parts).filter(([h]) => largest && !given[h]);
    const toFallback = lost.length === 0 ? own.toFallback : sig(own.toFallback + lost.reduce((s, [, v]) => s + v, 0));
    if (part.toFallback !== toFallback) {
      out.push(`${where}/toFallback is ${part.toFallback}, but this round's score.json makes it ${toFallback}`);
    }
  }
  const combined = {
    contests: parts,
    byHotkey: sumParts(parts),
    fallback: sig(parts.reduce((s, p) => s + p.toFallback, 0)),
  };
  const byHotkey = at(subnet, 'byHotkey') as Record<string, number> | null;
  for (const [h, v] of Object.entries(combined.byHotkey)) {
    if (byHotkey?.[h] !== v) out.push(`${file}: /subnet/byHotkey/${h} is ${byHotkey?.[h] ?? 'absent'}, but its parts sum to ${v}`);
  }
  if (at(subnet, 'fallback') !== combined.fallback) {
    out.push(`${file}: /subnet/fallback is ${String(at(subnet, 'fallback'))}, but the parts send ${combined.fallback} to the fallback uid`);
  }
  const rows = (at(weights, 'weights') ?? []) as { uid: number; hotkey: string }[];
  const fallbackHotkey = rows.find((r) => r.uid === at(subnet, 'fallbackUid'))?.hotkey ?? null;
  const u16 = quantiseCombined(combined, fallbackHotkey);
  out.push(...vectorProblems(file, weights, u16, null, "the subnet's combined parts"));
  return out;
}

function sumParts(parts: readonly ContestPart[]): Record<string, number> {
  const totals = new Map<string, number>();
  for (const p of parts) {
    for (const [h, v] of Object.entries(p.parts)) totals.set(h, (totals.get(h) ?? 0) + v);
  }
  const out: Record<string, number> = {};
  for (const h of [...totals.keys()].sort(byCodeUnit)) out[h] = sig(totals.get(h)!);
  return out;
}
