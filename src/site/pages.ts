/** The contests page and one contest's page. Pure: site data in, HTML out. */
import { historyChart, ratioChart } from '../leaderboard/charts.js';
import { roundRows, shortHotkey, type RoundResults, type Table } from '../leaderboard/rows.js';
import { historyPoints, ratioRows } from '../leaderboard/write.js';
import { fileLink, h, page, problemList, table, verifyCell } from './html.js';
import type { SiteContest, SiteRound } from './model.js';
import { nextCutoff, rulesHtml } from './rules.js';

/** The round as the leaderboard code reads it, or null when round.json is unusable. */
export function results(r: SiteRound): RoundResults | null {
  return r.round === null
    ? null
    : { id: r.id, round: r.round, score: r.score, bench: r.bench.map((b) => b.doc) };
}

/** A leaderboard Table as HTML, hotkeys linked to their miner page. */
export function tableHtml(
  caption: string,
  t: Table,
  root: string,
  hotkeys: readonly (string | null)[],
): string {
  const rows = t.rows.map((row, i) =>
    t.columns.map(([key]) => {
      const hotkey = hotkeys[i];
      if (key === 'hotkey' && hotkey)
        return `<a href="${h(`${root}miners/${hotkey}/`)}">${h(row[key] ?? '')}</a>`;
      return h(row[key] ?? '');
    }),
  );
  return table(
    caption,
    t.columns.map(([, header]) => header),
    rows,
  );
}

/** The hotkeys of a round table's rows, in row order. */
export function rowHotkeys(r: RoundResults): (string | null)[] {
  return [
    ...(r.score?.submissions ?? []).map((s) => s.hotkey),
    ...r.round.rejected.map((x) => x.hotkey),
  ];
}

function leader(c: SiteContest): string {
  const latest = [...c.rounds].reverse().find((r) => r.score !== null);
  const best = latest?.score?.submissions.find((s) => s.earns);
  if (!latest) return 'no scored round yet';
  if (!best) return `none in ${latest.id} (no submission earned weight)`;
  return `uid ${best.uid} ${shortHotkey(best.hotkey)} in ${latest.id}`;
}

/** The site's front page: every contest with its facts and current leader. */
export function contestsPage(contests: readonly SiteContest[], now: Date): string {
  const rows = contests.map((c) => {
    const k = c.contest;
    const next = k ? nextCutoff(k, now) : null;
    return [
      `<a href="${h(`${c.id}/`)}">${h(k?.title ?? c.id)}</a><br><code>${h(c.id)}</code>`,
      h(k?.task ?? '–'),
      h(k ? `${k.runner.device} (${k.runner.executionProvider})` : '–'),
      k ? `<code>${h(k.baseline.model.url)}</code>` : '–',
      h(k ? `${k.schedule.cadence} at ${k.schedule.cutoff} ${k.schedule.timeZone}` : '–'),
      h(next ?? '–'),
      h(leader(c)),
      h(`${c.rounds.length}`),
    ];
  });
  const problems = contests.flatMap((c) => (c.contestProblem ? [c.contestProblem] : []));
  const body = `<p>Every contest this validator runs, read from the committed results. Next cutoffs are as of ${h(now.toISOString())}, when this site was built.</p>
${problemList('Contest files that could not be read', problems)}
${table('Contests', ['contest', 'task', 'device', 'baseline', 'schedule', 'next cutoff', 'current leader', 'rounds'], rows)}`;
  return page(
    {
      title: 'Contests',
      root: '',
      contests: contests.map((c) => c.id),
      crumbs: [['Contests', null]],
    },
    body,
  );
}

/** One contest: leaderboard of its latest round, charts, rules, every round. */
export function contestPage(c: SiteContest): string {
  const root = '../';
  const all = c.rounds.map(results).filter((r): r is RoundResults => r !== null);
  const indexed = all.filter((r) => c.rounds.find((x) => x.id === r.id)?.indexed);
  const latest = indexed.at(-1);
  const parts: string[] = [];
  if (c.contest)
    parts.push(`<p>${h(c.contest.title)} — task <code>${h(c.contest.task)}</code>.</p>`);
  parts.push(problemList(`Problems with ${c.id}'s index or folder`, c.problems));
  if (c.contestProblem)
    parts.push(problemList('The contest file could not be read', [c.contestProblem]));
  parts.push('<h2>Leaderboard</h2>');
  if (!latest) parts.push('<p>No round has been recorded yet.</p>');
  else {
    parts.push(
      `<p>Round <a href="${h(`${latest.id}/`)}">${h(latest.id)}</a>, from ${fileLink(root, c.id, `${latest.id}/score.json`)} and ${fileLink(root, c.id, `${latest.id}/round.json`)}.</p>`,
      tableHtml(`Leaderboard, round ${latest.id}`, roundRows(latest), root, rowHotkeys(latest)),
    );
    // The speed-up charts only where latency was scored (a pareto contest may score none).
    if (indexed.some(timed)) {
      parts.push(
        `<figure class="chart">${ratioChart(ratioRows(latest))}<figcaption>Speed-up of each valid submission with its 95 % interval; the legend names the colours.</figcaption></figure>`,
        '<h2>History</h2>',
        `<figure class="chart">${historyChart(historyPoints(indexed))}<figcaption>Best speed-up per round.</figcaption></figure>`,
      );
    }
  }
  if (c.contest) parts.push('<h2>Rules</h2>', rulesHtml(c.contest));
  parts.push('<h2>Rounds</h2>');
  parts.push(
    table(
      'Rounds, newest first',
      [
        'round',
        'cutoff block',
        'submissions',
        'rejected',
        'in the index',
        'found at build',
        'in this browser',
        'files',
      ],
      [...c.rounds]
        .reverse()
        .map((r) => [
          `<a href="${h(`${r.id}/`)}">${h(r.id)}</a>`,
          h(r.round?.cutoff.block ?? '–'),
          h(r.round?.submissions.length ?? '–'),
          h(r.round?.rejected.length ?? '–'),
          r.indexed ? 'yes' : 'no (pending)',
          statusWords(r),
          verifyCell(c.id, r.id),
          `${fileLink(root, c.id, `${r.id}/round.json`, 'round')} · ${r.score ? fileLink(root, c.id, `${r.id}/score.json`, 'score') : 'no score'}`,
        ]),
    ),
  );
  parts.push(`<p>The signed index: ${fileLink(root, c.id, 'index.json')}.</p>`);
  return page(
    {
      title: c.contest?.title ?? c.id,
      root,
      contests: [c.id],
      crumbs: [
        ['Contests', ''],
        [c.id, null],
      ],
    },
    parts.join('\n'),
  );
}

/** True when the round's score.json holds a latency ratio (a speed-up to chart). */
export function timed(r: RoundResults): boolean {
  return r.score?.submissions.some((s) => s.metrics.latency) ?? false;
}

/** A round's build-time verdict in words (and a symbol), never colour alone. */
export function statusWords(r: SiteRound): string {
  if (r.status === 'ok') return '<span class="good">✓ ok</span>';
  if (r.status === 'pending') return '<span class="wait">… pending</span>';
  return `<span class="bad">✗ ${h(r.problems.length)} problem(s)</span>`;
}
