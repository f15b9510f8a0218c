/**
 * The shape every `actions/<name>/main.ts` follows (actions/typescript-action): read inputs into
 * one typed settings object, call plain functions from src/, set outputs, and turn any error
 * into `core.setFailed` with the user-facing message. Composite `action.yml` files run
 * `"$GITHUB_WORKSPACE/node_modules/.bin/tsx" "$GITHUB_ACTION_PATH/main.ts"` (not through npx,
 * whose sh drops hyphenated variables; docs/adr/0065) and pass each input as `INPUT_<NAME>`
 * (upper-cased, hyphens kept), which is what `core.getInput` reads.
 */
import * as core from '@actions/core';

/** Reads a required input; throws naming the input when it is empty. */
export function requiredInput(name: string): string {
  const value = core.getInput(name);
  if (value === '') throw new Error(`input "${name}" is required but empty`);
  return value;
}

/** Reads an optional input; returns `fallback` when empty. */
export function optionalInput(name: string, fallback: string): string {
  const value = core.getInput(name);
  return value === '' ? fallback : value;
}

/**
 * Runs an action body; on error reports it with `core.setFailed` (exit code 1) and never
 * throws. Returns when the body finished.
 */
export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
  }
}
