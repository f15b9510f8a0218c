/**
 * Canonical JSON: the one way podium writes JSON, so that diffs stay small and hashes are stable.
 * Keys sorted by code point at every depth, two-space indent, a trailing newline, numbers in
 * JavaScript's shortest round-trip form. NaN, Infinity and undefined array items are refused
 * rather than silently turned into `null`.
 */

/** Thrown when a value cannot be written as canonical JSON; names the JSON pointer of the culprit. */
export class CanonicalJsonError extends Error {
  constructor(
    readonly pointer: string,
    reason: string,
  ) {
    super(`${pointer || '/'} ${reason}`);
    this.name = 'CanonicalJsonError';
  }
}

/** Returns `value` as canonical JSON text ending in a newline; throws CanonicalJsonError. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, ''), null, 2) + '\n';
}

/**
 * Returns the compact canonical form (sorted keys, no whitespace): the bytes podium signs and
 * hashes. Throws CanonicalJsonError like canonicalJson.
 */
export function compactCanonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, ''));
}

function normalise(value: unknown, pointer: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new CanonicalJsonError(pointer, `is ${value}, not a finite number`);
    return Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      if (item === undefined) throw new CanonicalJsonError(`${pointer}/${i}`, 'is undefined');
      return normalise(item, `${pointer}/${i}`);
    });
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      out[key] = normalise(item, `${pointer}/${escapePointer(key)}`);
    }
    return out;
  }
  throw new CanonicalJsonError(pointer, `is a ${typeof value}, which JSON cannot hold`);
}

/** Escapes one JSON-pointer reference token (RFC 6901). */
export function escapePointer(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
