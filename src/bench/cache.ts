/** Where the benchmark keeps downloaded artifacts and its compiled child program. */
import { join } from 'node:path';
import { REPO_ROOT } from '../version.js';

/** `$PODIUM_CACHE_DIR/<sub>`, else `<repo>/.cache/<sub>` (the same root src/models uses). */
export function cacheDir(sub: string): string {
  const root = process.env.PODIUM_CACHE_DIR ?? join(REPO_ROOT, '.cache');
  return join(root, sub);
}
