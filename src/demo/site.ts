/**
 * The demo's last step: the results site for every contest the demo recorded, built with
 * `podium site`'s code into `<root>/site`, and where it is.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isResultsDir } from '../leaderboard/write.js';
import { buildSite } from '../site/build.js';
import { REPO_ROOT } from '../version.js';

/**
 * Builds the site of `<workspace>/results/*` into `out`, every entry bound to `validator`;
 * prints and returns its path.
 */
export async function buildDemoSite(
  workspace: string,
  out: string,
  validator: string,
): Promise<string> {
  const root = join(workspace, 'results');
  const dirs: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    if (await isResultsDir(join(root, name))) dirs.push(join(root, name));
  }
  const built = await buildSite(dirs, out, {
    contestsRoot: join(workspace, 'contests'),
    validator,
  });
  for (const p of built.problems) console.log(`        site: ${p}`);
  const kib = (built.bytes / 1024).toFixed(0);
  console.log(
    `\nResults site (${built.pages.length} pages, ${kib} KiB): ${join(out, 'index.html')}`,
  );
  const rel = (p: string) => relative(REPO_ROOT, p) || '.';
  console.log(
    `Serve it to use "verify" (browsers refuse fetch from file://): npm run podium -- site ${dirs.map(rel).join(' ')} ` +
      `--contests ${rel(join(workspace, 'contests'))} --validator ${validator} --out ${rel(out)} --serve`,
  );
  return out;
}
