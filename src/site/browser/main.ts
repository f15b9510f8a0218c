/// <reference lib="dom" />
/**
 * The results site's "verify" button: fetches the site's copy of the committed files and runs
 * the checks of `podium verify` on them in the browser — the same modules (src/results/checks.ts
 * and score-rerun.ts, the pure scoring code) bundled by esbuild — then marks each round passed or
 * failed with the reason. `?verify` in the address runs it when the page loads.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { verifySource, type VerifyReport } from '../../results/checks.js';
import { scoreRerunWith } from '../../results/score-rerun.js';
import { SITE_PATHS, type SiteListing } from '../listing.js';
import { fetchJson, fetchSource } from './fetch-source.js';
import { renderReports, showRunning } from './render.js';

/** What the last run found, for tests and the benchmark (window.podiumVerify). */
export interface VerifyRun {
  readonly ms: number;
  readonly reports: readonly VerifyReport[];
  readonly error: string | null;
}

declare global {
  interface Window {
    podiumVerify?: VerifyRun;
  }
}

/** Verifies `contest` from the site rooted at `root`; a `?validator=` in the address overrides. */
async function verifyContest(root: URL, contest: string): Promise<VerifyReport> {
  const listing = await fetchJson<SiteListing>(new URL(SITE_PATHS.listing(contest), root));
  const source = fetchSource(new URL(SITE_PATHS.files(contest), root).href, listing);
  const pinned = new URL(location.href).searchParams.get('validator');
  const scoreCheck = scoreRerunWith(async (round) => {
    const { id, sha256 } = round.contest;
    const file = `contests/${id}/contest.json (as round ${round.id} froze it)`;
    if (!listing.contestFiles.includes(sha256)) return { file, text: null };
    const response = await fetch(new URL(SITE_PATHS.contestFile(id, sha256), root));
    return { file, text: response.ok ? await response.text() : null };
  });
  return verifySource(source, {
    validator: pinned || listing.validator || undefined,
    validatorFrom: pinned
      ? '?validator= in the address'
      : 'the site listing (podium site --validator)',
    pending: listing.pending,
    scoreCheck,
  });
}

async function run(root: URL, contests: readonly string[]): Promise<void> {
  showRunning(contests);
  const started = performance.now();
  const reports: VerifyReport[] = [];
  let error: string | null = null;
  try {
    await cryptoWaitReady();
    for (const contest of contests) reports.push(await verifyContest(root, contest));
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const ms = performance.now() - started;
  renderReports(reports, error, ms);
  window.podiumVerify = { ms, reports, error };
  document.body.dataset.verified = error ? 'error' : reports.every((r) => r.ok) ? 'ok' : 'fail';
}

function start(): void {
  const body = document.body;
  const root = new URL(body.dataset.root ?? './', location.href);
  const contests = (body.dataset.contests ?? '').split(' ').filter((c) => c !== '');
  const button = document.getElementById('verify-run');
  if (!(button instanceof HTMLButtonElement) || contests.length === 0) return;
  if (location.protocol === 'file:') {
    const status = document.getElementById('verify-status');
    if (status) {
      status.textContent =
        'Verification needs the site served over http(s): browsers refuse fetch from file://. ' +
        'Serve it with podium site <results…> --out <dir> --serve.';
    }
    return;
  }
  button.hidden = false;
  button.addEventListener('click', () => {
    button.disabled = true;
    void run(root, contests).finally(() => (button.disabled = false));
  });
  if (new URL(location.href).searchParams.has('verify')) button.click();
}

start();
