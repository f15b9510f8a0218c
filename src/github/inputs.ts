/**
 * Action inputs, parsed one way for every action (actions/checkout's input-helper): each reader
 * takes the inputs through `read` (`core.getInput` in an action, which trims) and returns a typed
 * value, or throws InputError naming the input and the bad value. An empty input means "not
 * given": the reader returns its fallback, or refuses when the input has none.
 */

/** Reads one input's raw text by name ('' when not given). */
export type ReadInput = (name: string) => string;

/** Thrown for a missing or malformed input; the message names it (and the value, when given). */
export class InputError extends Error {
  constructor(input: string, problem: string) {
    super(`input "${input}" ${problem}`);
    this.name = 'InputError';
  }
}

// YAML 1.2 core schema booleans: what `with:` means by true and false.
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Returns the input's text; throws InputError when it is empty and there is no fallback. */
export function textInput(read: ReadInput, name: string, fallback?: string): string {
  const value = read(name);
  if (value !== '') return value;
  if (fallback === undefined) throw new InputError(name, 'is required but empty');
  return fallback;
}

/**
 * Returns a boolean input: true/True/TRUE or false/False/FALSE (YAML 1.2 core), `fallback`
 * when empty. Throws InputError for anything else (`yes`, `1`, `on`…): a mistyped flag must
 * never silently mean false, since for `dry-run` false sends weights.
 */
export function booleanInput(read: ReadInput, name: string, fallback: boolean): boolean {
  const value = read(name);
  if (value === '') return fallback;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new InputError(name, `must be true or false (got "${value}")`);
}

/** Bounds and fallback of an integer input. */
export interface IntegerRule {
  readonly min: number;
  readonly max?: number;
  /** Returned when the input is empty; without it the input is required. */
  readonly fallback?: number;
}

/** Returns a decimal integer input within the rule's bounds; throws InputError naming the value. */
export function integerInput(read: ReadInput, name: string, rule: IntegerRule): number {
  const text = read(name);
  if (text === '') {
    if (rule.fallback === undefined) throw new InputError(name, 'is required but empty');
    return rule.fallback;
  }
  const n = Number(text);
  const range = rule.max === undefined ? `≥ ${rule.min}` : `${rule.min}…${rule.max}`;
  if (
    !/^[0-9]+$/.test(text) ||
    !Number.isSafeInteger(n) ||
    n < rule.min ||
    n > (rule.max ?? Infinity)
  ) {
    throw new InputError(name, `must be an integer ${range} (got "${text}")`);
  }
  return n;
}

/** Returns a positive integer input (≥ 1); throws InputError naming the value. */
export function positiveIntegerInput(read: ReadInput, name: string, fallback?: number): number {
  const text = read(name);
  try {
    return integerInput(read, name, fallback === undefined ? { min: 1 } : { min: 1, fallback });
  } catch (err) {
    if (err instanceof InputError && text !== '') {
      throw new InputError(name, `must be a positive integer (got "${text}")`);
    }
    throw err;
  }
}

/** Returns an input that must be one of `values` (exact spelling); throws InputError listing them. */
export function enumInput<const T extends readonly string[]>(
  read: ReadInput,
  name: string,
  values: T,
  fallback?: T[number],
): T[number] {
  const value = read(name);
  if (value === '' && fallback !== undefined) return fallback;
  if (value === '') throw new InputError(name, 'is required but empty');
  if ((values as readonly string[]).includes(value)) return value as T[number];
  throw new InputError(
    name,
    `must be ${values.map((v) => `"${v}"`).join(' or ')} (got "${value}")`,
  );
}

/** Returns a contest id input (a slug, so never a path); throws InputError naming the value. */
export function contestIdInput(read: ReadInput, name: string, fallback?: string): string {
  const value = textInput(read, name, fallback);
  if (!SLUG.test(value)) {
    throw new InputError(name, `must be a contest id like "sr-x2-demo" (got "${value}")`);
  }
  return value;
}

/** Returns a date input (ISO 8601), or `fallback()` when empty; throws InputError naming the value. */
export function dateInput(read: ReadInput, name: string, fallback: () => Date): Date {
  const value = read(name);
  if (value === '') return fallback();
  const at = new Date(value);
  if (!Number.isFinite(at.getTime())) throw new InputError(name, `is not a date (got "${value}")`);
  return at;
}
