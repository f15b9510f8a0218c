/**
 * How a score reads in a workflow run: a summary table (best first) and annotations for what a
 * person should notice — invalid submissions, copies, identical outputs, the fallback.
 */
import type { ScoreDocument, ScoreInterval } from '../documents/score.js';

/** Rows shown in the job summary at most; the rest is counted in a last row. */
export const SUMMARY_ROWS = 100;

const HEADER = [
  'position',
  'rank',
  'hotkey',
  'uid',
  'score / latency ratio [95 %]',
  'earns',
  'share',
  'u16',
];

/** Returns the summary table: a header row, then one row per submission (placed ones first). */
export function summaryRows(doc: ScoreDocument): string[][] {
  const rows = doc.submissions
    .slice(0, SUMMARY_ROWS)
    .map((s) => [
      s.position === null ? '–' : String(s.position),
      s.rank === null
        ? s.valid
          ? '–'
          : 'invalid'
        : `${s.rank}${tied(doc, s.rank) ? ' (tie)' : ''}`,
      s.hotkey,
      String(s.uid),
      interval(s.score ?? s.metrics.latency ?? null),
      s.earns ? 'yes' : 'no',
      String(s.share),
      String(doc.weights.u16[s.hotkey] ?? 0),
    ]);
  const more = doc.submissions.length - SUMMARY_ROWS;
  if (more > 0) rows.push(['…', '', `${more} more in score.json`, '', '', '', '', '']);
  return [HEADER, ...rows];
}

function tied(doc: ScoreDocument, rank: number): boolean {
  return doc.ties.some((t) => t.rank === rank);
}

function interval(x: ScoreInterval | null): string {
  return x ? `${x.point} [${x.lower}, ${x.upper}]` : '–';
}

/** An annotation for the workflow run. */
export interface Annotation {
  readonly level: 'notice' | 'warning';
  readonly title: string;
  readonly message: string;
}

/** Returns notices for invalid submissions and the fallback, warnings for review groups. */
export function annotations(doc: ScoreDocument): Annotation[] {
  const out: Annotation[] = doc.submissions
    .filter((s) => !s.valid)
    .map((s) => ({
      level: 'notice' as const,
      title: `${s.copyOf ? 'copy' : 'invalid'}: uid ${s.uid}`,
      message: `${s.hotkey}: ${s.reasons.map((r) => `${r.code}: ${r.message}`).join('; ')}`,
    }));
  for (const g of doc.review) {
    out.push({
      level: 'warning',
      title: `review: ${g.code}`,
      message: `${g.hotkeys.join(', ')}: ${g.message}`,
    });
  }
  if (doc.weights.fallback) {
    out.push({
      level: 'notice',
      title: 'fallback weights',
      message: `uid ${doc.weights.fallback.uid} gets all weight: ${doc.weights.fallback.reason}`,
    });
  }
  return out;
}
