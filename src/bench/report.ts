/**
 * Reading bench documents back for people: one row per model (load time, p50/p90, speed ratio
 * against the baseline with its interval from scoring's bootstrap, fidelity, verdict), as an
 * aligned text table for the terminal or rows for a Markdown summary. Pure.
 */
import { speedRatio } from '../score/ratio.js';
import type { BenchDocument } from '../documents/bench.js';
import { formatMeasure, measureSpec } from '../tasks/measures.js';

/** One model's line. */
export interface ReportRow {
  readonly model: string;
  readonly loadMs: string;
  readonly firstMs: string;
  readonly p50Ms: string;
  readonly p90Ms: string;
  readonly speed: string;
  readonly fidelity: string;
  readonly result: string;
}

/** How ratios are computed: as score.json will (same seed, runner, resamples, confidence). */
export interface ReportOptions {
  readonly resamples: number;
  readonly confidence: number;
  /** Display names by document index; default the hotkey, or "baseline" / "submission". */
  readonly names?: readonly string[];
}

const HEADERS: Record<keyof ReportRow, string> = {
  model: 'model',
  loadMs: 'load ms',
  firstMs: '1st run ms',
  p50Ms: 'p50 ms',
  p90Ms: 'p90 ms',
  speed: 'speed vs baseline',
  fidelity: 'fidelity',
  result: 'result',
};

/** Rows for `docs` (the baseline among them; ratios are against it). */
export function reportRows(docs: readonly BenchDocument[], options: ReportOptions): ReportRow[] {
  const base = docs.find((d) => d.subject.role === 'baseline');
  return docs.map((d, i) => {
    const name = options.names?.[i] ?? d.subject.hotkey ?? d.subject.role;
    return {
      model: name,
      loadMs: num(d.load.sessionMs),
      firstMs: num(d.load.firstInferenceMs),
      p50Ms: num(d.summary?.p50Ms ?? null),
      p90Ms: num(d.summary?.p90Ms ?? null),
      speed: speed(base, d, options),
      fidelity: fidelity(d),
      result: d.valid ? 'pass' : `FAIL ${d.reasons.map((r) => r.code).join(', ')}`,
    };
  });
}

function speed(base: BenchDocument | undefined, d: BenchDocument, o: ReportOptions): string {
  if (!base || d === base) return d === base ? '1 (reference)' : '—';
  const r = speedRatio(base.samples, d.samples, {
    seed: d.settings.seed,
    runner: d.runner.name,
    resamples: o.resamples,
    confidence: o.confidence,
  });
  if (!r) return '—';
  const pct = Math.round(o.confidence * 100);
  return `${r.ratio.toFixed(3)}× [${r.low.toFixed(3)}, ${r.high.toFixed(3)}] ${pct}%`;
}

function fidelity(d: BenchDocument): string {
  const f = d.fidelity;
  if (!f) return '—';
  const mark = f.passed ? '≥' : '<';
  if (f.baselineMean !== null) {
    const floor = f.threshold * f.baselineMean;
    return `${f.measure} ${formatMeasure(f.measure, f.mean)} ${mark} ${formatMeasure(f.measure, floor)} (${f.threshold} × baseline)`;
  }
  const unit = measureSpec(f.measure).unit;
  return `worst ${f.measure} ${f.worst.value.toFixed(2)}${unit ? ` ${unit}` : ''} (input ${f.worst.input}) ${mark} ${f.threshold}`;
}

function num(x: number | null): string {
  return x === null ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(2);
}

/** The rows as an aligned plain-text table with a header line. */
export function textTable(rows: readonly ReportRow[]): string {
  const keys = Object.keys(HEADERS) as (keyof ReportRow)[];
  const width = keys.map((k) => Math.max(HEADERS[k].length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(width[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(keys.map((k) => HEADERS[k])), ...rows.map((r) => line(keys.map((k) => r[k])))].join(
    '\n',
  );
}

/** The header and cells for a Markdown table (e.g. core.summary.addTable). */
export function tableCells(rows: readonly ReportRow[]): { header: string[]; body: string[][] } {
  const keys = Object.keys(HEADERS) as (keyof ReportRow)[];
  return { header: keys.map((k) => HEADERS[k]), body: rows.map((r) => keys.map((k) => r[k])) };
}

/** Every reason of every invalid model, one line each: `<model>: <code>: <message>`. */
export function reasonLines(docs: readonly BenchDocument[], names?: readonly string[]): string[] {
  return docs.flatMap((d, i) =>
    d.reasons.map(
      (r) => `${names?.[i] ?? d.subject.hotkey ?? d.subject.role}: ${r.code}: ${r.message}`,
    ),
  );
}

/** A one-paragraph header: contest, runner, device, isolation, inputs and sampling settings. */
export function runHeader(doc: BenchDocument): string {
  const e = doc.environment;
  const s = doc.settings;
  return [
    `contest ${doc.contest.id} · round ${doc.round} · runner ${doc.runner.name} (${doc.runner.label})`,
    `device ${e.device} · ${s.executionProvider} EP · onnxruntime ${e.onnxruntime} · isolation ${e.isolation}`,
    `${s.inputs} inputs from seed ${s.seed} · warm-up ${s.warmupRuns} · ≥${s.minSamples} samples and ≥${s.minSeconds} s, interleaved in blocks of ${s.blockSize}`,
  ].join('\n');
}
