/**
 * The task and measure tables of docs/tasks.md, rendered from the registry and the measure
 * table (src/tasks/): what each kind of contest draws, computes and is judged on. Pure.
 */
import { MEASURES } from '../tasks/measures.js';
import { TASKS } from '../tasks/registry.js';

/** Markdown: one row per registered task. */
export function renderTaskTable(): string {
  const rows = TASKS.map(
    (t) =>
      `| \`${t.id}\` | ${t.title} | ${t.measures.map((m) => `\`${m}\``).join(', ')} | ${t.judgesBaseline ? 'yes' : 'no'} | ${t.summary} |`,
  );
  return [
    '| task | title | per-sample measures | baseline judged | what a round does |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Markdown: one row per measure of the table. */
export function renderMeasureTable(): string {
  const rows = MEASURES.map(
    (m) =>
      `| \`${m.name}\` | \`${m.field}\` | ${m.unit || '–'} | ${m.direction} | ${m.perfect ?? '–'} | ${m.scope} | ${m.against} | ${m.threshold ?? 'not a threshold'} | ${m.interval} | ${m.description} |`,
  );
  return [
    '| measure | bench field | unit | better | perfect | scope | against | threshold rule | interval | meaning |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
