/**
 * Regenerates the generated parts of docs/ (`npm run docs`): the contest field reference in
 * docs/contests.md and the task and measure tables in docs/tasks.md, each between its
 * GENERATED markers. `--check` exits 1 when a file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ContestSchema } from '../contest/schema.js';
import { finalizeSchema } from '../schemas/finalize.js';
import { fieldRows, renderFieldTable } from './schema-reference.js';
import { renderMeasureTable, renderTaskTable } from './task-reference.js';
import { isMain } from '../cli/is-main.js';

export const CONTESTS_DOC = fileURLToPath(new URL('../../docs/contests.md', import.meta.url));
export const TASKS_DOC = fileURLToPath(new URL('../../docs/tasks.md', import.meta.url));

/** One generated section: the file, its marker name and what goes between the markers. */
interface Section {
  readonly file: string;
  readonly name: string;
  render(): string;
}

const SECTIONS: readonly Section[] = [
  {
    file: CONTESTS_DOC,
    name: 'contest field reference',
    render: () => renderFieldTable(fieldRows(finalizeSchema(ContestSchema))),
  },
  { file: TASKS_DOC, name: 'task table', render: renderTaskTable },
  { file: TASKS_DOC, name: 'measure table', render: renderMeasureTable },
];

/** Returns `doc` (the text of `file`) with every generated section of that file replaced. */
export function withGenerated(file: string, doc: string): string {
  let out = doc;
  for (const s of SECTIONS.filter((x) => x.file === file)) {
    const begin = `<!-- GENERATED: ${s.name} (npm run docs) -->\n`;
    const end = `<!-- END GENERATED: ${s.name} -->`;
    const start = out.indexOf(begin);
    const stop = out.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`${file}: markers for "${s.name}" not found`);
    out = out.slice(0, start + begin.length) + s.render() + out.slice(stop);
  }
  return out;
}

/** docs/contests.md's text with the field reference replaced by the current one. */
export function withFieldReference(doc: string): string {
  return withGenerated(CONTESTS_DOC, doc);
}

async function main(argv: string[]): Promise<number> {
  let stale = 0;
  for (const file of new Set(SECTIONS.map((s) => s.file))) {
    const doc = await readFile(file, 'utf8');
    const next = withGenerated(file, doc);
    if (next === doc) continue;
    if (argv.includes('--check')) {
      console.error(`${file} is out of date: run npm run docs`);
      stale += 1;
    } else await writeFile(file, next);
  }
  return stale > 0 ? 1 : 0;
}

if (isMain(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
