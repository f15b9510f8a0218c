/**
 * The trusted validator of `podium verify` and `podium site` (docs/adr/0150-verify-trust-anchor.md):
 * `--validator <ss58>` when given (the auditor's own knowledge wins), else the hotkey the
 * repository declares in podium.json (`--config`, default ./podium.json when it exists), else
 * none — and then verify fails rather than trust whoever signed the index.
 */
import { stat } from 'node:fs/promises';
import { CONFIG_FILE, ConfigSchema } from '../documents/config.js';
import { hotkeyProblem } from '../documents/hotkey.js';
import { readDocument } from '../json/file.js';
import { UsageError } from './errors.js';

/** The validator to bind signatures to, and where it came from (for the messages). */
export interface TrustedValidator {
  readonly validator?: string;
  readonly validatorFrom?: string;
}

/**
 * Resolves the trusted validator from `--validator` and `--config`. Throws UsageError for a
 * malformed hotkey or an explicit --config that is missing; DocumentError for an invalid file.
 */
export async function trustedValidator(
  flag: string | undefined,
  config: string | undefined,
): Promise<TrustedValidator> {
  if (flag !== undefined) {
    const bad = hotkeyProblem(flag);
    if (bad !== null) throw new UsageError(`--validator ${bad}`);
    return { validator: flag, validatorFrom: '--validator' };
  }
  const file = config ?? CONFIG_FILE;
  const found = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!found) {
    if (config !== undefined) throw new UsageError(`--config ${config}: no such file`);
    return {};
  }
  const doc = await readDocument(file, ConfigSchema);
  const hotkey = doc.validator.hotkey;
  const bad = hotkeyProblem(hotkey);
  if (bad !== null) throw new UsageError(`${file}: /validator/hotkey ${hotkey} ${bad}`);
  return { validator: hotkey, validatorFrom: `${file} /validator/hotkey` };
}
