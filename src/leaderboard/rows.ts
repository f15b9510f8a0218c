/**
 * The leaderboard's rows for one round: every submission scored in score.json (ranked ones in
 * position order, then unranked), followed by every candidate collect rejected, each with its
 * status or reason. Pure: reads only the round's documents.
 */
import type { BenchDocument } from '../documents/bench.js';
import type { Frozen } from '../json/file.js';
import type { RoundDocument } from '../documents/round.js';
import type { ScoreDocument } from '../documents/score.js';

/** One round's committed documents. */
export interface RoundResults {
  readonly id: string;
  readonly round: Frozen<RoundDocument>;
  readonly score: Frozen<ScoreDocument> | null;
  readonly bench: readonly Frozen<BenchDocument>[];
}

/** One leaderboard row, every cell already formatted. */
export interface Row {
  rank: string;
  uid: string;
  hotkey: string;
  speedup: string;
  loadTime: string;
  memory: string;
  fidelity: string;
  status: string;
  weight: string;
}

export const COLUMNS: readonly [keyof Row, string][] = [
  ['rank', 'rank'],
  ['uid', 'uid'],
  ['hotkey', 'hotkey'],
  ['speedup', 'speed-up (95 % CI)'],
  ['loadTime', 'load'],
  ['memory', 'peak RSS'],
  ['fidelity', 'fidelity (worst)'],
  ['status', 'status'],
  ['weight', 'weight'],
];

/** `5GrwvaEF…utQY`: enough of an ss58 address to recognise it. */
export function shortHotkey(hotkey: string | null): string {
  return hotkey ? `${hotkey.slice(0, 8)}…${hotkey.slice(-4)}` : '–';
}

/** Returns the rows of a round, ranked submissions first. */
export function roundRows(r: RoundResults): Row[] {
  const rows: Row[] = [];
  const benchOf = (hotkey: string) => r.bench.filter((b) => b.subject.hotkey === hotkey);
  const u16 = r.score?.weights.u16 ?? {};
  const total = Object.values(u16).reduce((a, b) => a + b, 0);
  for (const s of r.score?.submissions ?? []) {
    const bench = benchOf(s.hotkey)[0];
    const latency = s.metrics.latency;
    const weight = u16[s.hotkey] ?? 0;
    rows.push({
      rank: s.rank === null ? '–' : String(s.rank),
      uid: String(s.uid),
      hotkey: shortHotkey(s.hotkey),
      speedup: latency
        ? `${fmt(latency.point)}× [${fmt(latency.lower)}, ${fmt(latency.upper)}]`
        : '–',
      loadTime: bench?.load.sessionMs != null ? `${Math.round(bench.load.sessionMs)} ms` : '–',
      memory:
        bench?.memory.peakRssBytes != null
          ? `${Math.round(bench.memory.peakRssBytes / 2 ** 20)} MiB`
          : '–',
      fidelity: s.fidelity ? `${fmt(s.fidelity.worst)} ${s.fidelity.measure}` : '–',
      status: status(s),
      weight: weight > 0 ? `${weight} (${((100 * weight) / (total || 1)).toFixed(1)} %)` : '0',
    });
  }
  for (const x of r.round.rejected) {
    rows.push({
      rank: '–',
      uid: x.uid === null ? '–' : String(x.uid),
      hotkey: shortHotkey(x.hotkey),
      speedup: '–',
      loadTime: '–',
      memory: '–',
      fidelity: '–',
      status: `rejected at collect: ${x.reason} — ${x.message}`,
      weight: '0',
    });
  }
  return rows;
}

function status(s: Frozen<ScoreDocument>['submissions'][number]): string {
  if (s.copyOf) return `copy of uid ${s.copyOf.uid} (same ${s.copyOf.via})`;
  if (!s.valid) return `invalid: ${s.reasons.map((x) => `${x.code} — ${x.message}`).join('; ')}`;
  if (s.earns) return 'earns';
  return 'valid, not faster than the baseline beyond noise';
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3);
}

/** Renders rows as a Markdown table (pipes in cells escaped). */
export function markdownTable(rows: readonly Row[]): string {
  const cell = (s: string) => s.replaceAll('|', '\\|');
  const lines = [
    `| ${COLUMNS.map(([, h]) => h).join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${COLUMNS.map(([k]) => cell(r[k])).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

/** Renders rows as an aligned plain-text table for a terminal; long statuses wrap below. */
export function textTable(rows: readonly Row[]): string {
  const cols = COLUMNS.filter(([k]) => k !== 'status');
  const widths = cols.map(([k, h]) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(cols.map(([, h]) => h)), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) {
    out.push(line(cols.map(([k]) => r[k])));
    out.push(`    └ ${r.status}`);
  }
  return out.join('\n') + '\n';
}
