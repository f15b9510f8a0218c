/** Locating the first difference between two JSON values, in canonical (sorted-key) order. */
import { escapePointer } from '../json/canonical.js';
import { findDuplicateKey } from '../json/duplicates.js';
import { byCodeUnit } from './format.js';

/** Where two JSON values first differ; a side is undefined where the field is absent. */
export interface Difference {
  readonly pointer: string;
  readonly committed: unknown;
  readonly recomputed: unknown;
}

/** Returns the first differing JSON pointer of two parsed JSON values, or null if equal. */
export function firstDifference(
  committed: unknown,
  recomputed: unknown,
  pointer = '',
): Difference | null {
  if (Array.isArray(committed) && Array.isArray(recomputed)) {
    const n = Math.max(committed.length, recomputed.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(committed[i], recomputed[i], `${pointer}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (isObject(committed) && isObject(recomputed)) {
    const keys = [...new Set([...Object.keys(committed), ...Object.keys(recomputed)])];
    for (const key of keys.sort(byCodeUnit)) {
      const d = firstDifference(
        committed[key],
        recomputed[key],
        `${pointer}/${escapePointer(key)}`,
      );
      if (d) return d;
    }
    return null;
  }
  return Object.is(committed, recomputed) ? null : { pointer, committed, recomputed };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const WHOLE: Difference = { pointer: '', committed: undefined, recomputed: undefined };

/**
 * Compares a committed score.json's text (null when the file is missing) with the recomputed
 * canonical text. Returns null when they are byte-identical, else the reason and the first
 * differing JSON pointer ('' when the file is missing, not JSON, or only formatted differently).
 */
export function scoreTextDifference(
  committed: string | null,
  recomputed: string,
): { readonly reason: string; readonly difference: Difference } | null {
  if (committed === recomputed) return null;
  if (committed === null) return { reason: 'is missing', difference: WHOLE };
  let parsed: unknown;
  try {
    parsed = JSON.parse(committed);
  } catch (err) {
    return { reason: `is not valid JSON (${(err as Error).message})`, difference: WHOLE };
  }
  const duplicate = findDuplicateKey(committed);
  if (duplicate) {
    const difference = {
      pointer: duplicate.pointer,
      committed: duplicate.key,
      recomputed: undefined,
    };
    return { reason: `has the key "${duplicate.key}" twice`, difference };
  }
  const difference = firstDifference(parsed, JSON.parse(recomputed));
  if (difference === null) {
    return { reason: 'has the same values but not the canonical formatting', difference: WHOLE };
  }
  return { reason: 'differs from the recomputed score', difference };
}
