/** podium's own version, recorded in every result file. */
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const PODIUM_VERSION: string = (require('../package.json') as { version: string }).version;

/** Repository root (the folder holding package.json). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The git commit podium runs from, or null outside a git checkout. */
export function podiumCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}
