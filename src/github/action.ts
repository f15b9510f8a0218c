/**
 * The shape every `actions/<name>/main.ts` follows (actions/typescript-action): read inputs into
 * one typed settings object (src/github/settings/<name>.ts), call plain functions from src/, set outputs, and turn any error
 * into `core.setFailed` with the user-facing message. Composite `action.yml` files run
 * `"$GITHUB_WORKSPACE/node_modules/.bin/tsx" "$GITHUB_ACTION_PATH/main.ts"` (not through npx,
 * whose sh drops hyphenated variables; docs/adr/0065) and pass each input as `INPUT_<NAME>`
 * (upper-cased, hyphens kept), which is what `core.getInput` reads.
 */
import * as core from '@actions/core';
import type { ReadInput } from './inputs.js';

/**
 * Reads one input as the runner passes it (`INPUT_<NAME>`, trimmed; '' when not given). Every
 * action parses it with the readers of src/github/inputs.ts, through its settings module in
 * src/github/settings/.
 */
export const actionInput: ReadInput = (name) => core.getInput(name);

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
