/** One round's page: its frozen inputs, every submission's verdict, timings, fidelity, weights. */
import { roundRows, shortHotkey, type RoundResults } from '../leaderboard/rows.js';
import { ratioChart } from '../leaderboard/charts.js';
import { ratioRows } from '../leaderboard/write.js';
import type { Frozen } from '../json/file.js';
import type { BenchDocument } from '../documents/bench.js';
import { distributionChart } from './distribution.js';
import { fileLink, h, page, problemList, table, verifyCell } from './html.js';
import type { SiteContest, SiteRound } from './model.js';
import { results, rowHotkeys, statusWords, tableHtml, timed } from './pages.js';
import { fixHint } from './rules.js';

type Bench = { readonly path: string; readonly doc: Frozen<BenchDocument> };

function facts(items: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${items.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function inputsSection(c: SiteContest, r: SiteRound, root: string): string {
  const d = r.round;
  if (!d) return '<p>round.json is missing or invalid: nothing of the round can be shown.</p>';
  const f = (rel: string, label?: string) => fileLink(root, c.id, `${r.id}/${rel}`, label);
  const seedText = `podium-seed/1:${c.id}:${r.id}:${d.cutoff.blockHash}`;
  return `${facts([
    ['cutoff', `${h(d.cutoff.instant)} (${f('round.json')})`],
    ['cutoff block', `${h(d.cutoff.block)}, hash <code>${h(d.cutoff.blockHash)}</code>`],
    [
      'seed',
      `<code>${h(d.seed)}</code> = 0x + sha256 of the text <code>${h(seedText)}</code> (docs/auditor.md)`,
    ],
    ['contest file', `sha256 <code>${h(d.contest.sha256)}</code>`],
  ])}
${table(
  'Submission set frozen at the cutoff',
  ['uid', 'hotkey', 'model', 'sha256', 'bytes', 'commitment block'],
  d.submissions.map((s) => [
    h(s.uid),
    `<a href="${h(`${root}miners/${s.hotkey}/`)}">${h(shortHotkey(s.hotkey))}</a>`,
    `<code>${h(s.model.url)}</code>`,
    `<code>${h(s.model.sha256.slice(0, 16))}…</code>`,
    h(s.model.bytes),
    h(s.commitment.block),
  ]),
)}`;
}

function verdicts(c: SiteContest, r: SiteRound, root: string): string {
  const s = r.score;
  if (!s) return '<p>No valid score.json in this round folder.</p>';
  const rows = s.submissions.map((x) => {
    const bench = r.bench.find((b) => b.doc.subject.hotkey === x.hotkey);
    const reasons =
      x.reasons.length === 0
        ? x.earns
          ? '✓ earns'
          : '✓ valid'
        : x.reasons.map((y) => `✗ ${y.code}: ${y.message}`).join('; ');
    const hints = x.reasons.map((y) => fixHint(y.code)).join('; ') || '–';
    return [
      h(x.uid),
      `<a href="${h(`${root}miners/${x.hotkey}/`)}">${h(shortHotkey(x.hotkey))}</a>`,
      h(reasons),
      h(hints),
      bench ? fileLink(root, c.id, `${r.id}/${bench.path}`, 'bench file') : '–',
    ];
  });
  return table(
    'Each submission: verdict, reason and how to fix it',
    ['uid', 'hotkey', 'verdict', 'fix hint', 'measured in'],
    rows,
  );
}

function timings(r: SiteRound, res: RoundResults): string {
  const runners = [...new Set(r.bench.map((b) => b.path.split('/')[1] ?? ''))];
  return runners
    .map((runner) => {
      const on = r.bench.filter((b) => b.path.split('/')[1] === runner);
      const sorted = [...on].sort(
        (a, b) =>
          Number(b.doc.subject.role === 'baseline') - Number(a.doc.subject.role === 'baseline'),
      );
      const uid = (hotkey: string | null) =>
        res.round.submissions.find((s) => s.hotkey === hotkey)?.uid;
      const rows = sorted.map((b) => ({
        label:
          b.doc.subject.role === 'baseline'
            ? 'baseline'
            : `uid ${uid(b.doc.subject.hotkey) ?? '?'} · ${shortHotkey(b.doc.subject.hotkey)}`,
        ms: b.doc.samples.ms,
        baseline: b.doc.subject.role === 'baseline',
      }));
      return `<figure class="chart">${distributionChart(rows, `Raw timings on runner ${runner}`)}<figcaption>Every timed sample of each model on runner ${h(runner)}, interleaved with the baseline in the same job.</figcaption></figure>`;
    })
    .join('\n');
}

function fidelity(c: SiteContest, r: SiteRound, root: string): string {
  const rows: string[][] = [];
  for (const b of r.bench as Bench[]) {
    const f = b.doc.fidelity;
    if (b.doc.subject.role === 'baseline' || !f) continue;
    const field = f.measure;
    const values = f.perSample.map(
      (p) => `${p.input}: ${(p as Record<string, number | null | undefined>)[field] ?? '–'}`,
    );
    rows.push([
      h(shortHotkey(b.doc.subject.hotkey)),
      h(`${f.measure} (${f.rule}, threshold ${f.threshold})`),
      h(`input ${f.worst.input}: ${f.worst.value}`),
      `<details><summary>${h(values.length)} samples</summary>${h(values.join(' · '))}</details>`,
      f.passed ? '✓ passed' : '✗ failed',
      fileLink(root, c.id, `${r.id}/${b.path}`, 'bench file'),
    ]);
  }
  return table(
    'Fidelity per sample against the baseline',
    ['hotkey', 'measure', 'worst sample', 'per sample', 'verdict', 'file'],
    rows,
  );
}

function weightsSection(c: SiteContest, r: SiteRound, root: string): string {
  const w = r.weights;
  if (!w) return '<p>No weights.json yet: weights for this round have not been recorded.</p>';
  return `${facts([
    ['status', h(w.status)],
    ['extrinsic', w.extrinsicHash ? `<code>${h(w.extrinsicHash)}</code>` : '–'],
    ['block', w.block ? `${h(w.block.number)} (<code>${h(w.block.hash)}</code>)` : '–'],
    ['validator', `<code>${h(w.validator)}</code> (uid ${h(w.validatorUid)})`],
    ['call', w.call ? `<code>${h(w.call.text)}</code>` : '–'],
    ['file', fileLink(root, c.id, `${r.id}/weights.json`)],
  ])}
${table(
  'Weights sent, by uid',
  ['uid', 'hotkey', 'value'],
  w.weights.map((x) => [h(x.uid), h(shortHotkey(x.hotkey)), h(x.value)]),
)}`;
}

/** The round page. */
export function roundPage(c: SiteContest, r: SiteRound): string {
  const root = '../../';
  const res = results(r);
  const parts = [
    `<p>Contest <a href="../">${h(c.id)}</a> · verdict when the site was built: ${statusWords(r)} · in this browser: ${verifyCell(c.id, r.id)}</p>`,
    problemList(`Problems with round ${r.id}`, r.problems),
    '<h2>Inputs frozen at the cutoff</h2>',
    inputsSection(c, r, root),
  ];
  if (res) {
    parts.push(
      '<h2>Results</h2>',
      r.score ? `<p>From ${fileLink(root, c.id, `${r.id}/score.json`)}.</p>` : '',
      tableHtml(`Round ${r.id}`, roundRows(res), root, rowHotkeys(res)),
      timed(res)
        ? `<figure class="chart">${ratioChart(ratioRows(res), `Speed-up vs baseline, round ${r.id} (95 % interval)`)}</figure>`
        : '',
      verdicts(c, r, root),
      '<h2>Timings</h2>',
      timings(r, res),
      '<h2>Fidelity</h2>',
      fidelity(c, r, root),
    );
  }
  parts.push('<h2>Weights</h2>', weightsSection(c, r, root));
  parts.push(
    '<h2>Files</h2>',
    `<ul>${r.files.map((p) => `<li>${fileLink(root, c.id, `${r.id}/${p}`)}</li>`).join('')}</ul>`,
  );
  return page(
    {
      title: `${c.id} — round ${r.id}`,
      root,
      contests: [c.id],
      crumbs: [
        ['Contests', ''],
        [c.id, `${c.id}/`],
        [r.id, null],
      ],
    },
    parts.join('\n'),
  );
}
