/**
 * What the site shows of one contest, read from its results folder on disk without giving up
 * on bad files: every document that validates is used, every one that does not is left out and
 * its problem kept with the round it belongs to, next to what `podium verify` (the same checks
 * the page re-runs) found when the site was built.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadContest, type Contest } from '../contest/load.js';
import type { BenchDocument } from '../documents/bench.js';
import type { ResultsIndexDocument } from '../documents/results-index.js';
import type { RoundDocument } from '../documents/round.js';
import type { ScoreDocument } from '../documents/score.js';
import type { WeightsDocument } from '../documents/weights.js';
import { DocumentError } from '../json/errors.js';
import type { Frozen } from '../json/file.js';
import { ROUND_DIR, readSourceIndex } from '../results/checks.js';
import { checkRoundFile, listRoundFiles } from '../results/files.js';
import { nodeSource } from '../results/node-source.js';
import { scoreRerun, verifyResults, type VerifyReport } from '../results/verify.js';

/** One round folder as the site shows it. */
export interface SiteRound {
  readonly id: string;
  /** True when index.json has an entry for it. */
  readonly indexed: boolean;
  /** The files in the folder as committed, relative to it. */
  readonly files: readonly string[];
  readonly round: Frozen<RoundDocument> | null;
  readonly score: Frozen<ScoreDocument> | null;
  /** Bench files that validate, with their path in the round folder. */
  readonly bench: readonly { readonly path: string; readonly doc: Frozen<BenchDocument> }[];
  readonly weights: Frozen<WeightsDocument> | null;
  /** What `podium verify` found wrong with this round when the site was built. */
  readonly problems: readonly string[];
  readonly status: 'ok' | 'fail' | 'pending';
}

/** One contest as the site shows it. */
export interface SiteContest {
  readonly id: string;
  readonly dir: string;
  /** The contest definition now in the contests folder, when it loads. */
  readonly contest: Contest | null;
  readonly contestFile: string;
  readonly contestProblem: string | null;
  readonly index: ResultsIndexDocument | null;
  /** Problems with the folder or index as a whole. */
  readonly problems: readonly string[];
  readonly rounds: readonly SiteRound[];
  readonly report: VerifyReport;
  /** Every folder → its files (the site's listing). */
  readonly folders: Readonly<Record<string, readonly string[]>>;
  /** The files directly in the results folder (index.json, the leaderboard…). */
  readonly files: readonly string[];
  /** Its rounds named as being written by the current run (`--pending <contest>/<round>`). */
  readonly pending: readonly string[];
}

/** Options of readSiteContest. */
export interface ReadOptions {
  readonly contestsRoot: string;
  readonly validator?: string;
  /** Where `validator` came from, for the messages ("--validator", "podium.json"). */
  readonly validatorFrom?: string;
  /** Rounds being written by the current run, as `<contest>/<round>`. */
  readonly pending?: readonly string[];
}

/** Reads `resultsDir` (results/<contest>) for the site; throws only for I/O errors. */
export async function readSiteContest(
  resultsDir: string,
  options: ReadOptions,
): Promise<SiteContest> {
  const source = nodeSource(resultsDir);
  const id = source.contest;
  const pending = (options.pending ?? [])
    .filter((p) => p.startsWith(`${id}/`))
    .map((p) => p.slice(id.length + 1));
  const report = await verifyResults(resultsDir, {
    validator: options.validator,
    validatorFrom: options.validatorFrom,
    pending,
    scoreCheck: scoreRerun(options.contestsRoot),
  });
  const index = await readSourceIndex(source).catch((err: unknown) => {
    if (err instanceof Error && err.name !== 'Error') return null;
    throw err;
  });
  const folders: Record<string, string[]> = {};
  const files: string[] = [];
  for (const d of await readdir(resultsDir, { withFileTypes: true })) {
    if (d.isDirectory()) folders[d.name] = await listRoundFiles(join(resultsDir, d.name));
    else files.push(d.name);
  }
  files.sort();
  const indexed = new Set(index?.entries.map((e) => e.round) ?? []);
  const ids = [
    ...new Set([...indexed, ...Object.keys(folders).filter((n) => ROUND_DIR.test(n))]),
  ].sort();
  const rounds: SiteRound[] = [];
  for (const round of ids) {
    const verdict = report.rounds.find((r) => r.round === round);
    rounds.push(
      await readSiteRound(
        resultsDir,
        id,
        round,
        folders[round] ?? [],
        indexed.has(round),
        verdict?.problems ?? [],
        verdict?.status ?? 'fail',
      ),
    );
  }
  const contestFile = join(options.contestsRoot, id, 'contest.json');
  let contest: Contest | null = null;
  let contestProblem: string | null = null;
  try {
    contest = (await loadContest(contestFile)).contest;
  } catch (err) {
    contestProblem =
      err instanceof DocumentError
        ? err.message
        : `${contestFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message}`;
  }
  return {
    id,
    dir: resultsDir,
    contest,
    contestFile,
    contestProblem,
    index,
    problems: report.problems,
    rounds,
    report,
    folders,
    files,
    pending,
  };
}

async function readSiteRound(
  resultsDir: string,
  contest: string,
  id: string,
  files: readonly string[],
  indexed: boolean,
  problems: readonly string[],
  status: SiteRound['status'],
): Promise<SiteRound> {
  const docs = new Map<string, unknown>();
  const roundText = await readFile(join(resultsDir, id, 'round.json'), 'utf8').catch(() => null);
  let contestSha256: string | undefined;
  for (const path of files) {
    const file = join(resultsDir, id, ...path.split('/'));
    try {
      const text =
        path === 'round.json' && roundText !== null ? roundText : await readFile(file, 'utf8');
      const doc = checkRoundFile(file, path, text, { contest, round: id, contestSha256 });
      if (path === 'round.json') contestSha256 = (doc as Frozen<RoundDocument>).contest.sha256;
      docs.set(path, doc);
    } catch (err) {
      if (!(err instanceof DocumentError)) throw err;
    }
  }
  const bench = files
    .filter((p) => p.startsWith('bench/') && docs.has(p))
    .map((path) => ({ path, doc: docs.get(path) as Frozen<BenchDocument> }));
  return {
    id,
    indexed,
    files,
    round: (docs.get('round.json') as Frozen<RoundDocument> | undefined) ?? null,
    score: (docs.get('score.json') as Frozen<ScoreDocument> | undefined) ?? null,
    bench,
    weights: (docs.get('weights.json') as Frozen<WeightsDocument> | undefined) ?? null,
    problems,
    status,
  };
}
