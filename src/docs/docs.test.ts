import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ContestSchema } from '../contest/schema.js';
import { finalizeSchema } from '../schemas/finalize.js';
import { CONTESTS_DOC, TASKS_DOC, withFieldReference, withGenerated } from './generate.js';
import { fieldRows } from './schema-reference.js';

describe('docs/contests.md', () => {
  it('carries the field reference generated from the contest schema (run npm run docs)', async () => {
    const doc = await readFile(CONTESTS_DOC, 'utf8');
    expect(withFieldReference(doc)).toBe(doc);
  });

  it('docs/tasks.md carries the task and measure tables generated from src/tasks (run npm run docs)', async () => {
    const doc = await readFile(TASKS_DOC, 'utf8');
    expect(withGenerated(TASKS_DOC, doc)).toBe(doc);
    expect(doc).toContain('| `labelled-classification` |');
    expect(doc).toContain('| `accuracy` | `accuracy` |');
  });

  it('documents every default the schema declares', () => {
    const rows = fieldRows(finalizeSchema(ContestSchema));
    const loadSeconds = rows.find((r) => r.pointer === '/limits/loadSeconds');
    expect(loadSeconds).toMatchObject({ required: false, default: 240 });
    expect(rows.find((r) => r.pointer === '/id')).toMatchObject({ required: true });
  });
});
