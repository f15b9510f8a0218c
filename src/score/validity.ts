/**
 * Which submissions may be scored: copies (same artifact as an earlier commitment, the same
 * weights, or near-identical weights: near-copy.ts), the checks on each runner's bench file
 * (artifact measured, bench validity, fidelity re-checked against the contest's rule:
 * quality.ts), and groups of submissions whose
 * outputs are identical on every sample (flagged for a person, not rejected).
 */
import type { Contest } from '../contest/load.js';
import { byCodeUnit } from './format.js';
import { byPriority, type Bench, type RunnerBench, type Submission } from './inputs.js';
import { fidelityReasons } from './quality.js';
import type { ScoreReason } from '../documents/score.js';
import { NearIndex, NEAR_TOLERANCE, ownSketches, type Sketch } from './near-copy.js';

/** The earlier submission a copy duplicates. */
export interface CopyOf {
  readonly hotkey: string;
  readonly uid: number;
  readonly commitmentBlock: number;
  readonly via: 'artifact' | 'weights' | 'near-weights';
  /** For near-weights: the share of the copy's own elements that match the original's. */
  readonly share?: number;
}

/** Per-tensor sketches by hotkey and the baseline's (near-copy.ts sketchesByHotkey). */
export interface SketchSets {
  readonly bySubmission: ReadonlyMap<string, readonly Sketch[]>;
  readonly baseline: readonly Sketch[];
}

/** Weights hashes a submission's bench files report, by hotkey. */
export function weightsHashes(runners: readonly RunnerBench[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const runner of runners) {
    for (const [hotkey, doc] of runner.submissions) {
      const hash = doc.inspection?.weightsSha256;
      if (!hash) continue;
      const set = out.get(hotkey) ?? new Set<string>();
      set.add(hash);
      out.set(hotkey, set);
    }
  }
  return out;
}

/**
 * Returns, per hotkey, the earlier submission it copies, or 'baseline' for the baseline's own
 * artifact. Submissions are taken in priority order (block, uid, hotkey); a copy always cites
 * the first submission of its group. Weights equal to the baseline's weights are not a copy
 * (graph-only optimisations keep them), so they are left out of the weights comparison; the
 * near-copy rule likewise compares only the tensors that are not the baseline's, against the
 * earlier originals (never against other copies), citing the first that matches.
 */
export function findCopies(
  submissions: readonly Submission[],
  weights: ReadonlyMap<string, ReadonlySet<string>>,
  baseline: { sha256: string; weights: ReadonlySet<string> },
  sketches: SketchSets = { bySubmission: new Map(), baseline: [] },
): Map<string, CopyOf | 'baseline'> {
  const copies = new Map<string, CopyOf | 'baseline'>();
  const byArtifact = new Map<string, Submission>();
  const byWeights = new Map<string, Submission>();
  const originals = new NearIndex<Submission>();
  for (const sub of [...submissions].sort(byPriority)) {
    if (sub.model.sha256 === baseline.sha256) {
      copies.set(sub.hotkey, 'baseline');
      continue;
    }
    const own = [...(weights.get(sub.hotkey) ?? [])].filter((w) => !baseline.weights.has(w));
    let original = byArtifact.get(sub.model.sha256);
    if (!original) {
      for (const w of own.sort(byCodeUnit)) original ??= byWeights.get(w);
    }
    if (original) {
      copies.set(sub.hotkey, {
        hotkey: original.hotkey,
        uid: original.uid,
        commitmentBlock: original.commitment.block,
        via: original.model.sha256 === sub.model.sha256 ? 'artifact' : 'weights',
      });
    } else {
      const near = nearOriginal(sub, originals, sketches);
      if (near) copies.set(sub.hotkey, near);
      else originals.add(sub, sketches.bySubmission.get(sub.hotkey) ?? []);
    }
    const root = original ?? sub;
    if (!byArtifact.has(sub.model.sha256)) byArtifact.set(sub.model.sha256, root);
    for (const w of own) if (!byWeights.has(w)) byWeights.set(w, root);
  }
  return copies;
}

/** The first earlier original whose tensors this submission's own tensors nearly repeat. */
function nearOriginal(
  sub: Submission,
  originals: NearIndex<Submission>,
  sketches: SketchSets,
): CopyOf | null {
  const mine = sketches.bySubmission.get(sub.hotkey);
  const hit = mine ? originals.firstMatch(ownSketches(mine, sketches.baseline)) : null;
  if (!hit) return null;
  const { owner, share } = hit;
  return {
    hotkey: owner.hotkey,
    uid: owner.uid,
    commitmentBlock: owner.commitment.block,
    via: 'near-weights',
    share,
  };
}

/** Returns why a copy is invalid, citing the original. */
export function copyReason(copy: CopyOf | 'baseline'): ScoreReason {
  if (copy === 'baseline') {
    return { code: 'baseline-copy', message: "the artifact is the contest's baseline" };
  }
  if (copy.via === 'near-weights') {
    const pct = Math.floor((copy.share ?? 0) * 1000) / 10;
    return {
      code: 'near-copy',
      message:
        `${pct} % of its own weights are within ${NEAR_TOLERANCE} of those of ${copy.hotkey} ` +
        `(uid ${copy.uid}), committed earlier at block ${copy.commitmentBlock}`,
    };
  }
  const what = copy.via === 'artifact' ? 'the same artifact sha256' : 'the same weights sha256';
  return {
    code: 'copy',
    message: `${what} as ${copy.hotkey} (uid ${copy.uid}), committed earlier at block ${copy.commitmentBlock}`,
  };
}

/**
 * Returns why the baseline of a runner cannot anchor ratios, or null when it can: it must
 * exist, be valid, be the contest's baseline, and have at least two positive timings.
 */
export function baselineProblem(runner: RunnerBench, contest: Contest): string | null {
  const doc = runner.baseline;
  if (!doc) return `no baseline was measured on runner ${runner.name}`;
  if (!doc.valid) {
    const why = doc.reasons.map((r) => r.code).join(', ') || 'no reason given';
    return `the baseline on runner ${runner.name} is invalid (${why})`;
  }
  if (doc.subject.model.sha256 !== contest.baseline.model.sha256) {
    return `runner ${runner.name} measured ${doc.subject.model.sha256}, not the contest baseline`;
  }
  if (doc.samples.ms.length < 2 || doc.samples.ms.some((v) => !(v > 0))) {
    return `the baseline on runner ${runner.name} has fewer than 2 samples or a timing ≤ 0`;
  }
  return null;
}

/** Returns the reasons a submission's bench file on one runner cannot be scored (empty if ok). */
export function benchReasons(
  doc: Bench,
  sub: Submission,
  baseline: Bench | null,
  contest: Contest,
): ScoreReason[] {
  const runner = doc.runner.name;
  const reasons: ScoreReason[] = [];
  if (doc.subject.model.sha256 !== sub.model.sha256) {
    reasons.push({
      code: 'artifact-mismatch',
      message: `runner ${runner} measured ${doc.subject.model.sha256}, the round froze ${sub.model.sha256}`,
    });
  }
  if (!doc.valid) {
    const why = doc.reasons.map((r) => `${r.code}: ${r.message}`).join('; ') || 'no reason given';
    reasons.push({ code: 'bench-invalid', message: `runner ${runner}: ${why}` });
  } else {
    // Re-checked, not trusted: a bench file that says valid must also meet the threshold here.
    reasons.push(...fidelityReasons(doc, baseline, contest));
  }
  if (doc.samples.ms.some((v) => !(v > 0))) {
    reasons.push({ code: 'bad-timing', message: `runner ${runner}: a timing is ≤ 0 ms` });
  }
  return reasons;
}

/** A group of submissions with identical outputs on every sample of some runners. */
export interface IdenticalOutputs {
  readonly hotkeys: string[];
  readonly runners: string[];
}

/**
 * Finds submissions whose output hashes are identical on every input of a runner. Copies are
 * left out (already rejected), and so are outputs identical to the baseline's (a bit-exact
 * optimisation is legitimate). Groups are merged across runners by their hotkey set.
 */
export function identicalOutputs(
  runners: readonly RunnerBench[],
  skip: ReadonlySet<string>,
  priority: (a: string, b: string) => number,
): IdenticalOutputs[] {
  const groups = new Map<string, IdenticalOutputs>();
  for (const runner of runners) {
    const base = outputsKey(runner.baseline);
    const byOutputs = new Map<string, string[]>();
    for (const [hotkey, doc] of runner.submissions) {
      const k = outputsKey(doc);
      if (skip.has(hotkey) || k === null || k === base) continue;
      byOutputs.set(k, [...(byOutputs.get(k) ?? []), hotkey]);
    }
    for (const hotkeys of byOutputs.values()) {
      if (hotkeys.length < 2) continue;
      hotkeys.sort(priority);
      const id = hotkeys.join(',');
      const group = groups.get(id) ?? { hotkeys, runners: [] };
      group.runners.push(runner.name);
      groups.set(id, group);
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      priority(a.hotkeys[0]!, b.hotkeys[0]!) || byCodeUnit(a.hotkeys.join(), b.hotkeys.join()),
  );
}

function outputsKey(doc: Bench | null): string | null {
  const hashes = doc?.outputs?.sha256;
  return hashes && hashes.length > 0 ? hashes.join('') : null;
}
