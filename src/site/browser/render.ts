/// <reference lib="dom" />
/**
 * Shows the browser verification on the page: a summary, one line per round with every problem
 * under it, and each round's status cell in the page's tables ([data-verify="<contest>/<round>"]).
 * Status is always written in words and a symbol, never by colour alone.
 */
import type { RoundReport, VerifyReport } from '../../results/checks.js';

const WORDS: Record<RoundReport['status'], string> = {
  ok: '✓ verified',
  fail: '✗ failed',
  pending: '… pending (not yet signed)',
};

function element(tag: string, text: string, className?: string): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** Marks the panel and every round cell of `contests` as being checked. */
export function showRunning(contests: readonly string[]): void {
  const status = document.getElementById('verify-status');
  if (status) status.textContent = `Verifying ${contests.join(', ')} in this browser…`;
  document.getElementById('verify-rounds')?.replaceChildren();
}

function scoreWords(r: RoundReport): string {
  const detail = r.score === 'not available' && r.scoreDetail ? ` (${r.scoreDetail})` : '';
  return `score re-run: ${r.score}${detail}`;
}

/** Writes the reports (or the error that stopped the run) into the page. */
export function renderReports(
  reports: readonly VerifyReport[],
  error: string | null,
  ms: number,
): void {
  const list = document.getElementById('verify-rounds');
  const status = document.getElementById('verify-status');
  const items: HTMLElement[] = [];
  for (const report of reports) {
    for (const p of report.problems) items.push(element('li', `✗ ${report.contest}: ${p}`, 'bad'));
    for (const p of report.incomplete) {
      items.push(element('li', `… ${report.contest}: not run: ${p}`, 'wait'));
    }
    for (const r of report.rounds) {
      const li = element(
        'li',
        '',
        r.status === 'ok' ? 'good' : r.status === 'fail' ? 'bad' : 'wait',
      );
      li.dataset.round = `${report.contest}/${r.round}`;
      li.append(element('strong', `${WORDS[r.status]} — ${report.contest} ${r.round}`));
      li.append(
        document.createTextNode(
          `: ${r.files} file(s), signer ${r.signer ?? 'none'}, ${scoreWords(r)}`,
        ),
      );
      if (r.problems.length > 0) {
        const ul = document.createElement('ul');
        for (const p of r.problems) ul.append(element('li', p));
        li.append(ul);
      }
      items.push(li);
      for (const cell of document.querySelectorAll<HTMLElement>(
        `[data-verify="${report.contest}/${r.round}"]`,
      )) {
        cell.textContent = WORDS[r.status];
        cell.className = r.status === 'ok' ? 'good' : r.status === 'fail' ? 'bad' : 'wait';
        cell.title = r.problems.join('\n');
      }
    }
  }
  list?.replaceChildren(...items);
  if (!status) return;
  const seconds = (ms / 1000).toFixed(2);
  if (error !== null) {
    status.textContent = `✗ Verification could not run: ${error}`;
    status.className = 'bad';
    return;
  }
  const failed = reports.flatMap((r) => r.rounds).filter((r) => r.status === 'fail').length;
  const total = reports.reduce((n, r) => n + r.rounds.length, 0);
  const ok = reports.every((r) => r.ok);
  const notRun = reports.reduce((n, r) => n + r.incomplete.length, 0);
  status.textContent = ok
    ? `✓ All ${total} round(s) verified in this browser in ${seconds} s: file hashes, hash chain, signatures, seed, weights, leaderboard, score re-run.`
    : `✗ Verification failed: ${failed} of ${total} round(s) failed` +
      `${reports.some((r) => r.problems.length > 0) ? ', and the folder or index has problems' : ''}` +
      `${notRun > 0 ? `, ${notRun} check(s) could not run` : ''} (${seconds} s).`;
  status.className = ok ? 'good' : 'bad';
}
