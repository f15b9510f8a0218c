/**
 * The leaderboard's table for one round: every submission scored in score.json (ranked ones in
 * position order, then unranked), followed by every candidate collect rejected, each with its
 * status or reason. The columns derive from what the round was scored on (score.json's
 * method): the speed-up when latency was measured, one column per pareto objective, and the
 * fidelity measure with its rule, each formatted from the measure table (src/tasks/measures.ts).
 * Pure: reads only the round's documents.
 */
import type { BenchDocument } from '../documents/bench.js';
import type { Frozen } from '../json/file.js';
import type { RoundDocument } from '../documents/round.js';
import type { ScoreDocument } from '../documents/score.js';
import { METRIC_NAMES } from '../contest/schema.js';
import { formatMeasure, measureSpec } from '../tasks/measures.js';

/** One round's committed documents. */
export interface RoundResults {
  readonly id: string;
  readonly round: Frozen<RoundDocument>;
  readonly score: Frozen<ScoreDocument> | null;
  readonly bench: readonly Frozen<BenchDocument>[];
}

/** One leaderboard row, every cell already formatted, keyed by column. */
export type Row = Record<string, string>;

/** A round's table: its columns (key, header) and rows. */
export interface Table {
  readonly columns: readonly (readonly [string, string])[];
  readonly rows: readonly Row[];
}

type Scored = Frozen<ScoreDocument>['submissions'][number];
type Method = Frozen<ScoreDocument>['method'];

/** `5GrwvaEF…utQY`: enough of an ss58 address to recognise it. */
export function shortHotkey(hotkey: string | null): string {
  return hotkey ? `${hotkey.slice(0, 8)}…${hotkey.slice(-4)}` : '–';
}

/** A column: its header and how a scored submission fills it. */
interface Column {
  readonly key: string;
  readonly header: string;
  cell(s: Scored, bench: Frozen<BenchDocument> | undefined): string;
}

/** Returns the round's table, ranked submissions first. */
export function roundRows(r: RoundResults): Table {
  const columns = columnsOf(r.score);
  const u16 = r.score?.weights.u16 ?? {};
  const total = Object.values(u16).reduce((a, b) => a + b, 0);
  const ties = tiesOf(r.score);
  const rows: Row[] = [];
  for (const s of r.score?.submissions ?? []) {
    const bench = r.bench.find((b) => b.subject.hotkey === s.hotkey);
    const weight = u16[s.hotkey] ?? 0;
    const row: Row = {
      rank: s.rank === null ? '–' : String(s.rank),
      uid: String(s.uid),
      hotkey: shortHotkey(s.hotkey),
    };
    for (const c of columns) row[c.key] = c.cell(s, bench);
    row.status = status(s, r.score!.method, ties.get(s.hotkey));
    row.weight = weight > 0 ? `${weight} (${((100 * weight) / (total || 1)).toFixed(1)} %)` : '0';
    rows.push(row);
  }
  for (const x of r.round.rejected) {
    const row: Row = {
      rank: '–',
      uid: x.uid === null ? '–' : String(x.uid),
      hotkey: shortHotkey(x.hotkey),
    };
    for (const c of columns) row[c.key] = '–';
    row.status = `rejected at collect: ${x.reason} — ${x.message}`;
    row.weight = '0';
    rows.push(row);
  }
  const all: [string, string][] = [
    ['rank', 'rank'],
    ['uid', 'uid'],
    ['hotkey', 'hotkey'],
    ...columns.map((c): [string, string] => [c.key, c.header]),
    ['status', 'status'],
    ['weight', 'weight'],
  ];
  return { columns: all, rows };
}

function columnsOf(score: Frozen<ScoreDocument> | null): Column[] {
  if (!score) return [SPEEDUP, LOAD, MEMORY, worstColumn()];
  const m = score.method;
  const measured = score.submissions.some((s) => s.metrics.latency);
  const columns: Column[] =
    measured || m.strategy === 'speed-at-parity' ? [SPEEDUP, LOAD, MEMORY] : [];
  const fidelity = m.similarity.measure;
  const rule = measureSpec(fidelity).threshold;
  for (const o of m.objectives ?? []) {
    const name = o.name === 'fidelity' ? fidelity : o.name;
    if (name === 'latency' || columns.some((c) => c.key === name)) continue;
    if (name === 'parameters' || name === 'flops') columns.push(countColumn(name));
    else if (o.name !== 'latency' && !isMetricName(name)) columns.push(measureColumn(name));
  }
  if (!columns.some((c) => c.key === fidelity)) {
    columns.push(rule === 'fraction-of-baseline' ? measureColumn(fidelity) : worstColumn());
  }
  return columns;
}

function isMetricName(name: string): boolean {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

const SPEEDUP: Column = {
  key: 'speedup',
  header: 'speed-up (95 % CI)',
  cell: (s) => {
    const l = s.metrics.latency;
    return l ? `${fmt(l.point)}× [${fmt(l.lower)}, ${fmt(l.upper)}]` : '–';
  },
};

const LOAD: Column = {
  key: 'loadTime',
  header: 'load',
  cell: (_s, b) => (b?.load.sessionMs != null ? `${Math.round(b.load.sessionMs)} ms` : '–'),
};

const MEMORY: Column = {
  key: 'memory',
  header: 'peak RSS',
  cell: (_s, b) =>
    b?.memory.peakRssBytes != null ? `${Math.round(b.memory.peakRssBytes / 2 ** 20)} MiB` : '–',
};

/** The fidelity measure judged on every sample: its worst value. */
function worstColumn(): Column {
  return {
    key: 'fidelity',
    header: 'fidelity (worst)',
    cell: (s) => (s.fidelity ? `${fmt(s.fidelity.worst)} ${s.fidelity.measure}` : '–'),
  };
}

/** A per-sample measure shown as its mean with the interval the table declares. */
function measureColumn(name: string): Column {
  const spec = measureSpec(name);
  const interval = spec.interval !== 'none';
  return {
    key: name,
    header: interval ? `${spec.title} (95 % CI)` : spec.title,
    cell: (s) => {
      const f = s.fidelity?.measure === name ? s.fidelity : null;
      const o = s.objectives?.find((x) => x.name === name || (x.name === 'fidelity' && f));
      const v = o?.value ?? (f ? { point: f.mean, lower: f.lower, upper: f.upper } : null);
      if (!v) return '–';
      const text = formatMeasure(name, v.point);
      return interval
        ? `${text} [${formatMeasure(name, v.lower)}, ${formatMeasure(name, v.upper)}]`
        : text;
    },
  };
}

/** A count read from the graph (parameters, FLOPs). */
function countColumn(name: 'parameters' | 'flops'): Column {
  return {
    key: name,
    header: measureSpec(name).title,
    cell: (s) => (s[name] === null ? '–' : formatMeasure(name, s[name])),
  };
}

/** For each tied submission, the others of its tie group (by uid), in position order. */
function tiesOf(score: Frozen<ScoreDocument> | null): Map<string, string> {
  const out = new Map<string, string>();
  const uid = new Map((score?.submissions ?? []).map((s) => [s.hotkey, s.uid]));
  for (const t of score?.ties ?? []) {
    for (const h of t.hotkeys) {
      const others = t.hotkeys.filter((x) => x !== h).map((x) => `uid ${uid.get(x)}`);
      out.set(h, `tied at rank ${t.rank} with ${others.join(', ')}`);
    }
  }
  return out;
}

function status(s: Scored, method: Method, tie: string | undefined): string {
  if (s.copyOf) return `copy of uid ${s.copyOf.uid} (same ${s.copyOf.via})`;
  if (!s.valid) return `invalid: ${s.reasons.map((x) => `${x.code} — ${x.message}`).join('; ')}`;
  const short = s.flags.some((f) => f.code === 'precision-not-reached')
    ? '; precision not reached (interval used as is)'
    : '';
  const order = (tie ? `; ${tie}, ordered by ${tieRule(method)}` : '') + short;
  if (method.strategy === 'quality-at-budget') return atBudgetStatus(s, order);
  if (method.strategy === 'pareto') {
    const place =
      s.rank === 1 ? 'on the front' : `behind the front (dominated by ${(s.rank ?? 1) - 1})`;
    const verdict = s.earns ? 'earns: dominates the baseline' : 'does not dominate the baseline';
    return `${place}, ${verdict}${order}`;
  }
  if (s.earns) return `earns${order}`;
  return `valid, not faster than the baseline beyond noise${order}`;
}

/** quality-at-budget: the budget, the gain over the baseline, and the earlier-block pairs. */
function atBudgetStatus(s: Scored, order: string): string {
  const said = (code: string) => s.flags.filter((f) => f.code === code).map((f) => f.message);
  const budget = said('latency-budget').join('');
  if (!budget) return `valid, not scored: no latency ratio or baseline quality to compare with`;
  if (s.rank === null) return `valid, over the latency budget: ${budget}${order}`;
  const earlier = said('earlier-advantage').map((m) => `; earlier-block advantage: ${m}`);
  const verdict = s.earns ? 'earns' : 'earns nothing';
  return `${verdict}: ${said('quality-gain').join('')}; ${budget}${earlier.join('')}${order}`;
}

function tieRule(method: Method): string {
  return method.tieBreaker === 'commitment-block'
    ? 'the earlier commitment'
    : `${method.tieBreaker}, then the earlier commitment`;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(3);
}

/** Renders the table as Markdown (pipes in cells escaped). */
export function markdownTable(table: Table): string {
  const cell = (s: string) => s.replaceAll('|', '\\|');
  const lines = [
    `| ${table.columns.map(([, h]) => h).join(' | ')} |`,
    `| ${table.columns.map(() => '---').join(' | ')} |`,
    ...table.rows.map((r) => `| ${table.columns.map(([k]) => cell(r[k] ?? '')).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}

/** Renders the table as aligned plain text for a terminal; long statuses wrap below. */
export function textTable(table: Table): string {
  const cols = table.columns.filter(([k]) => k !== 'status');
  const widths = cols.map(([k, h]) =>
    Math.max(h.length, ...table.rows.map((r) => (r[k] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(cols.map(([, h]) => h)), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of table.rows) {
    out.push(line(cols.map(([k]) => r[k] ?? '')));
    out.push(`    └ ${r.status}`);
  }
  return out.join('\n') + '\n';
}
