/**
 * Checks shared by the round actions' input readers: each names the input and the bad value.
 */

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Returns `value` when it is a contest id (a slug, so never a path); throws naming the input. */
export function slugInput(name: string, value: string): string {
  if (!SLUG.test(value)) {
    throw new Error(`input "${name}" must be a contest id like "sr-x2-demo" (got "${value}")`);
  }
  return value;
}

/** Parses a positive integer input; throws naming the input and the value. */
export function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value.trim()) || !Number.isInteger(n) || n < 1) {
    throw new Error(`input "${name}" must be a positive integer (got "${value}")`);
  }
  return n;
}
