/** One problem found in a JSON document, located by JSON pointer. */
export interface Problem {
  /** JSON pointer into the document (`''` is the whole document). */
  readonly pointer: string;
  /** The rule that failed: a JSON Schema keyword (`minimum`, `required`…) or a podium rule name. */
  readonly rule: string;
  /** What is wrong, phrased to follow the pointer: "must be > 0". */
  readonly message: string;
  /** The offending value; `undefined` when the field is missing. */
  readonly value?: unknown;
}

/**
 * A file failed to parse or validate. `message` lists every problem, one per line, each as
 * `file: /pointer message (got value) [rule]`, so a user can fix all of them in one pass.
 */
export class DocumentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'DocumentError';
  }
}

/** Formats one problem as a single line naming file, pointer, rule and bad value. */
export function formatProblem(file: string, p: Problem): string {
  const got = 'value' in p && p.value !== undefined ? ` (got ${describeValue(p.value)})` : '';
  return `${file}: ${p.pointer || '/'} ${p.message}${got} [${p.rule}]`;
}

/** A short, one-line rendering of a JSON value for error messages. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
