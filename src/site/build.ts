/**
 * `podium site`: builds the static results site from contests' results folders. It copies the
 * committed files byte for byte under files/, writes the listing each contest's verifier needs
 * under data/, the contest files the rounds froze under files/contests/, one page per contest,
 * round and miner, the stylesheet and the bundled verifier. Nothing it writes refers to another
 * origin. Bad data never stops the build: it is shown where it is wrong, and returned.
 */
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { contestFileSha256 } from '../contest/hash.js';
import { bundleVerifier } from './bundle.js';
import { SITE_PATHS, type SiteListing } from './listing.js';
import { minerHotkeys, minerPage } from './miner-page.js';
import { readSiteContest, type SiteContest } from './model.js';
import { contestPage, contestsPage } from './pages.js';
import { roundPage } from './round-page.js';
import { SITE_CSS } from './style.js';

/** Options of buildSite. */
export interface SiteOptions {
  /** Folder of contest folders, for the contest definitions and the score re-run. */
  readonly contestsRoot: string;
  /** The validator hotkey every index entry must be signed by (as `podium verify --validator`). */
  readonly validator?: string;
  /** Where `validator` came from, for the messages ("--validator", "podium.json"). */
  readonly validatorFrom?: string;
  /** Rounds being written by the current run, as `<contest>/<round>` (`podium verify --pending`). */
  readonly pending?: readonly string[];
  /** The build instant (next cutoffs are computed from it); default now. */
  readonly now?: Date;
}

/** What buildSite wrote, and what the operator must fix. */
export interface SiteBuild {
  readonly out: string;
  /** Paths of the HTML pages written, relative to `out`. */
  readonly pages: readonly string[];
  /** Total bytes written. */
  readonly bytes: number;
  /** One line per problem, each naming the file: what `podium verify` and loading found. */
  readonly problems: readonly string[];
  readonly contests: readonly SiteContest[];
}

async function write(out: string, rel: string, text: string): Promise<void> {
  const file = join(out, ...rel.split('/'));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

/**
 * Copies the committed files of `c` (index.json, the leaderboard, every other file and folder)
 * under files/<contest>/: the page checks the files outside the round folders too.
 */
async function copyResults(c: SiteContest, out: string): Promise<void> {
  const to = join(out, SITE_PATHS.files(c.id));
  await mkdir(to, { recursive: true });
  for (const name of c.files) await copyFile(join(c.dir, name), join(to, name));
  for (const [folder, files] of Object.entries(c.folders)) {
    for (const rel of files) {
      const target = join(to, folder, ...rel.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(c.dir, folder, ...rel.split('/')), target);
    }
  }
}

/** Copies the contest file when it is the one a round froze; returns the sha256 values held. */
async function copyContestFiles(c: SiteContest, out: string): Promise<string[]> {
  const frozen = new Set(c.rounds.flatMap((r) => (r.round ? [r.round.contest.sha256] : [])));
  const sha = await contestFileSha256(c.contestFile).catch(() => null);
  if (sha === null || !frozen.has(sha)) return [];
  await write(out, SITE_PATHS.contestFile(c.id, sha), await readFile(c.contestFile, 'utf8'));
  return [sha];
}

/** Written into every site; a non-empty --out without it is never emptied. */
export const SITE_MARKER = '.podium-site';

/** The output folder cannot be used: it holds something else, or the results themselves. */
export class SiteOutError extends Error {
  override name = 'SiteOutError';
}

async function checkOut(out: string, dirs: readonly string[], contestsRoot: string): Promise<void> {
  const at = resolve(out);
  for (const d of [...dirs, contestsRoot]) {
    const r = resolve(d);
    if (at === r || r.startsWith(at + sep) || at.startsWith(r + sep)) {
      throw new SiteOutError(`--out ${out} overlaps ${d}; write the site somewhere else`);
    }
  }
  const names = await readdir(out).catch((): string[] => []);
  if (names.length > 0 && !names.includes(SITE_MARKER)) {
    throw new SiteOutError(
      `--out ${out} is not empty and holds no site built by podium (${SITE_MARKER}); refusing to empty it`,
    );
  }
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    total += d.isDirectory() ? await sizeOf(p) : (await stat(p)).size;
  }
  return total;
}

/**
 * Builds the site for `resultsDirs` into `out` (emptied first). Returns what was written and the
 * problems found; throws SiteOutError for an output folder it must not empty, Error for a
 * contest given twice, and I/O errors.
 */
export async function buildSite(
  resultsDirs: readonly string[],
  out: string,
  options: SiteOptions,
): Promise<SiteBuild> {
  const now = options.now ?? new Date();
  const contests: SiteContest[] = [];
  for (const dir of resultsDirs) {
    const c = await readSiteContest(dir, options);
    if (contests.some((x) => x.id === c.id))
      throw new Error(`${dir}: contest ${c.id} is given twice`);
    contests.push(c);
  }
  contests.sort((a, b) => (a.id < b.id ? -1 : 1));
  await checkOut(out, resultsDirs, options.contestsRoot);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const pages: string[] = [];
  const page = async (rel: string, html: string) => {
    await write(out, rel, html);
    pages.push(rel);
  };
  await page('index.html', contestsPage(contests, now));
  for (const c of contests) {
    await copyResults(c, out);
    const listing: SiteListing = {
      contest: c.id,
      validator: options.validator ?? null,
      files: c.files,
      pending: c.pending,
      folders: c.folders,
      contestFiles: await copyContestFiles(c, out),
    };
    await write(out, SITE_PATHS.listing(c.id), `${JSON.stringify(listing)}\n`);
    await page(`${c.id}/index.html`, contestPage(c));
    for (const r of c.rounds) await page(`${c.id}/${r.id}/index.html`, roundPage(c, r));
  }
  for (const hotkey of minerHotkeys(contests))
    await page(`miners/${hotkey}/index.html`, minerPage(contests, hotkey));
  await write(out, SITE_PATHS.style, SITE_CSS);
  await write(out, SITE_PATHS.script, await bundleVerifier());
  await write(out, '.nojekyll', '');
  await write(out, SITE_MARKER, 'built by podium site; emptied by the next build\n');
  const problems = contests.flatMap((c) => [
    ...(c.contestProblem ? [c.contestProblem] : []),
    ...c.problems,
    ...c.rounds.flatMap((r) => r.problems),
  ]);
  return { out, pages, bytes: await sizeOf(out), problems, contests };
}
