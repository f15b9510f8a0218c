/** One hotkey's history across every round of every contest on the site. */
import { roundRows } from '../leaderboard/rows.js';
import { fileLink, h, page, table, verifyCell } from './html.js';
import type { SiteContest } from './model.js';
import { results } from './pages.js';

/** Every hotkey that appears in a round (submitted or rejected), sorted. */
export function minerHotkeys(contests: readonly SiteContest[]): string[] {
  const all = new Set<string>();
  for (const c of contests) {
    for (const r of c.rounds) {
      for (const s of r.round?.submissions ?? []) all.add(s.hotkey);
      for (const x of r.round?.rejected ?? []) if (x.hotkey) all.add(x.hotkey);
    }
  }
  return [...all].sort();
}

/** The miner page of `hotkey`. */
export function minerPage(contests: readonly SiteContest[], hotkey: string): string {
  const root = '../../';
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const c of contests) {
    for (const r of c.rounds) {
      const res = results(r);
      if (!res) continue;
      const t = roundRows(res);
      const i = [
        ...(res.score?.submissions ?? []).map((s) => s.hotkey),
        ...res.round.rejected.map((x) => x.hotkey),
      ].indexOf(hotkey);
      const row = t.rows[i];
      if (i < 0 || !row) continue;
      seen.add(c.id);
      rows.push([
        `<a href="${h(`${root}${c.id}/`)}">${h(c.id)}</a>`,
        `<a href="${h(`${root}${c.id}/${r.id}/`)}">${h(r.id)}</a>`,
        h(row.uid ?? '–'),
        h(row.rank ?? '–'),
        h(row.speedup ?? row.fidelity ?? '–'),
        h(row.status ?? ''),
        h(row.weight ?? '0'),
        verifyCell(c.id, r.id),
        r.score
          ? fileLink(root, c.id, `${r.id}/score.json`, 'score')
          : fileLink(root, c.id, `${r.id}/round.json`, 'round'),
      ]);
    }
  }
  const body = `<p>Hotkey <code>${h(hotkey)}</code>: every round it took part in, newest last.</p>
${table(`Rounds of ${hotkey}`, ['contest', 'round', 'uid', 'rank', 'speed-up / fidelity', 'status', 'weight', 'in this browser', 'file'], rows)}`;
  return page(
    {
      title: `Miner ${hotkey.slice(0, 8)}…${hotkey.slice(-4)}`,
      root,
      contests: [...seen],
      crumbs: [
        ['Contests', ''],
        [`miner ${hotkey.slice(0, 8)}…`, null],
      ],
    },
    body,
  );
}
