/**
 * What the round actions show a person: job-summary tables and annotation texts, as plain data
 * (rows of cells, titles and messages) so the actions only hand them to `@actions/core`.
 */
import type { RoundDocument } from '../documents/round.js';
import type { RoundPlan } from './plan.js';

/** One annotation: a title and a message naming the hotkey and the fix. */
export interface Annotation {
  readonly title: string;
  readonly message: string;
}

/** Rows (header first) for the plan of a round. */
export function planRows(contest: string, plan: RoundPlan): string[][] {
  const rows = [
    ['contest', contest],
    ['round', plan.round?.id ?? '—'],
    ['cutoff', plan.round?.cutoff ?? '—'],
    ['stage', plan.stage],
    ['why', plan.reason],
  ];
  if (plan.queued.length > 0) rows.push(['queued', plan.queued.map((r) => r.id).join(', ')]);
  if (plan.skipped.length > 0) rows.push(['skipped', plan.skipped.map((r) => r.id).join(', ')]);
  return [['', ''], ...rows];
}

/** Rows (header first) listing every submission of a round. */
export function submissionRows(round: RoundDocument): string[][] {
  return [
    ['uid', 'hotkey', 'model sha256', 'bytes', 'commitment block'],
    ...round.submissions.map((s) => [
      String(s.uid),
      s.hotkey,
      s.model.sha256,
      String(s.model.bytes),
      String(s.commitment.block),
    ]),
  ];
}

/** One annotation per rejected candidate. */
export function rejectedAnnotations(round: RoundDocument): Annotation[] {
  return round.rejected.map((r) => ({
    title: `rejected: ${r.reason}`,
    message: `${r.hotkey ?? 'unknown hotkey'}${r.uid === null ? '' : ` (uid ${r.uid})`}: ${r.message}`,
  }));
}

/** Annotation for due rounds given up on (older than the catch-up window). */
export function skippedAnnotation(contest: string, plan: RoundPlan): Annotation | null {
  if (plan.skipped.length === 0) return null;
  return {
    title: 'rounds skipped',
    message:
      `${contest}: round(s) ${plan.skipped.map((r) => r.id).join(', ')} were due but are older ` +
      'than the catch-up window; they will not be run (raise max-catch-up to make them up)',
  };
}
