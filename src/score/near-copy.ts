/**
 * The near-copy rule (docs/adr/0113-copy-fingerprints.md): a submission whose own weights — the
 * tensors that are not the baseline's — are, for at least NEAR_SHARE of their elements, within
 * NEAR_TOLERANCE of an earlier submission's tensors (by per-tensor sketch: element count, norm,
 * normalised ±1 projections) copies that submission, even though its exact weights hash differs
 * (one weight nudged by one ULP, a re-export with rounding). Pure functions of bench files.
 */
import type { RunnerBench } from './inputs.js';

/** Per-tensor sketch as recorded in a bench file's inspection. */
export interface Sketch {
  readonly elements: number;
  readonly norm: number;
  readonly projections: readonly number[];
}

/** Largest difference of any normalised projection, and of the norm relative to the larger norm. */
export const NEAR_TOLERANCE = 1e-3;
/** A tensor this close to one of the baseline's is the baseline's (fp16 rounding is ~3e-4). */
export const BASELINE_TOLERANCE = 1e-2;
/** Share of a submission's own elements that must match an earlier submission's tensors. */
export const NEAR_SHARE = 0.5;
/** A submission needs at least this many elements of its own to be judged at all. */
export const NEAR_MIN_ELEMENTS = 1024;

/** True when two sketches describe the same tensor up to `tolerance`. */
export function sketchesMatch(a: Sketch, b: Sketch, tolerance: number): boolean {
  if (a.elements !== b.elements) return false;
  if (Math.abs(a.norm - b.norm) > tolerance * Math.max(a.norm, b.norm)) return false;
  return a.projections.every((p, k) => Math.abs(p - (b.projections[k] ?? Infinity)) <= tolerance);
}

/** The sketches of a submission that match none of the baseline's within BASELINE_TOLERANCE. */
export function ownSketches(sketches: readonly Sketch[], baseline: readonly Sketch[]): Sketch[] {
  return sketches.filter((s) => !baseline.some((b) => sketchesMatch(s, b, BASELINE_TOLERANCE)));
}

/**
 * Returns the share (0..1) of `own`'s elements whose tensors match one of `earlier`'s within
 * NEAR_TOLERANCE, or null when `own` holds fewer than NEAR_MIN_ELEMENTS elements.
 */
export function nearShare(own: readonly Sketch[], earlier: readonly Sketch[]): number | null {
  const total = own.reduce((n, s) => n + s.elements, 0);
  if (total < NEAR_MIN_ELEMENTS) return null;
  const matched = own
    .filter((s) => earlier.some((e) => sketchesMatch(s, e, NEAR_TOLERANCE)))
    .reduce((n, s) => n + s.elements, 0);
  return matched / total;
}

/**
 * Earlier originals' sketches, bucketed by element count and first projection so that a round
 * of many submissions is judged in time linear in its tensors, not quadratic in submissions.
 */
export class NearIndex<T> {
  private readonly buckets = new Map<string, { sketch: Sketch; owner: number }[]>();
  private readonly owners: T[] = [];

  /** Adds an original (in priority order) and its sketches. */
  add(owner: T, sketches: readonly Sketch[]): void {
    const index = this.owners.push(owner) - 1;
    for (const sketch of sketches) {
      const key = bucket(sketch, 0);
      const list = this.buckets.get(key) ?? [];
      list.push({ sketch, owner: index });
      this.buckets.set(key, list);
    }
  }

  /**
   * Returns the earliest original whose tensors match at least NEAR_SHARE of `own`'s elements
   * (the same decision as nearShare against each original in turn), or null.
   */
  firstMatch(own: readonly Sketch[]): { owner: T; share: number } | null {
    const total = own.reduce((n, s) => n + s.elements, 0);
    if (total < NEAR_MIN_ELEMENTS) return null;
    const matched = new Map<number, number>();
    for (const s of own) {
      const owners = new Set<number>();
      for (const shift of [-1, 0, 1]) {
        for (const e of this.buckets.get(bucket(s, shift)) ?? []) {
          if (sketchesMatch(s, e.sketch, NEAR_TOLERANCE)) owners.add(e.owner);
        }
      }
      for (const o of owners) matched.set(o, (matched.get(o) ?? 0) + s.elements);
    }
    const hits = [...matched]
      .filter(([, m]) => m / total >= NEAR_SHARE)
      .sort((a, b) => a[0] - b[0]);
    const first = hits[0];
    return first ? { owner: this.owners[first[0]] as T, share: first[1] / total } : null;
  }
}

function bucket(s: Sketch, shift: number): string {
  return `${s.elements}:${Math.floor((s.projections[0] ?? 0) / NEAR_TOLERANCE) + shift}`;
}

/** Sketches per hotkey (first runner that recorded them, in runner order), and the baseline's. */
export function sketchesByHotkey(runners: readonly RunnerBench[]): {
  bySubmission: Map<string, readonly Sketch[]>;
  baseline: readonly Sketch[];
} {
  const bySubmission = new Map<string, readonly Sketch[]>();
  let baseline: readonly Sketch[] | undefined;
  for (const runner of runners) {
    baseline ??= runner.baseline?.inspection?.tensorSketches;
    for (const [hotkey, doc] of runner.submissions) {
      const s = doc.inspection?.tensorSketches;
      if (s && !bySubmission.has(hotkey)) bySubmission.set(hotkey, s);
    }
  }
  return { bySubmission, baseline: baseline ?? [] };
}
