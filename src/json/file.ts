/**
 * Reading and writing podium documents: every file is parsed strictly, validated against the
 * schema the caller passes (its `$schema` must name it), and returned deep-frozen; every write is validated first, written
 * as canonical JSON, and lands atomically (temp file + rename), so a failed write never leaves a
 * half-written file behind.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import { validateDocument } from '../schemas/validate.js';
import { canonicalJson } from './canonical.js';
import { findDuplicateKey } from './duplicates.js';
import { DocumentError } from './errors.js';
import { jsonSyntaxErrorOffset } from './locate.js';

/** Deeply immutable view of a document. */
export type Frozen<T> = T extends (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/**
 * Parses JSON text strictly; throws DocumentError naming the line and column of a syntax error,
 * or the JSON pointer of a duplicate object key (which JSON.parse would silently resolve to the
 * last value).
 */
export function parseJson(file: string, text: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (err) {
    const message = (err as Error).message;
    const offset = jsonSyntaxErrorOffset(text);
    const where = offset >= 0 ? ` at ${lineColumn(text, offset)}` : '';
    throw new DocumentError(file, [
      { pointer: '', rule: 'json', message: `is not valid JSON${where}: ${message}` },
    ]);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    throw new DocumentError(file, [
      {
        pointer: duplicate.pointer,
        rule: 'duplicate-key',
        message:
          `is a duplicate key "${duplicate.key}" at ${lineColumn(text, duplicate.offset)} ` +
          `(first at ${lineColumn(text, duplicate.firstOffset)}): keep exactly one`,
      },
    ]);
  }
  return data;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * A document schema: a TypeBox schema built with Document() (src/schemas/builders.ts), whose
 * absolute `$id` is what documents of its kind name in their `$schema`.
 */
export type DocumentSchema = TSchema;

/** The `$id` of a document schema; throws (a programming error) when it has none. */
function idOf(schema: DocumentSchema): string {
  if (typeof schema.$id !== 'string') throw new TypeError('a document schema must have an $id');
  return schema.$id;
}

/** The kind name in a schema `$id` (`…/round.schema.json` → `round`). */
function kindName(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1).replace(/\.schema\.json$/, '');
}

/**
 * Validates parsed data against `schema` (its `$schema` must name that schema), fills in
 * defaults, and returns it deep-frozen and typed by the schema. Throws DocumentError listing
 * every problem.
 */
export function checkDocument<S extends DocumentSchema>(
  file: string,
  data: unknown,
  schema: S,
): Frozen<Static<S>> {
  const id = idOf(schema);
  const copy = structuredClone(data);
  const declared =
    typeof copy === 'object' && copy !== null && !Array.isArray(copy)
      ? (copy as Record<string, unknown>).$schema
      : undefined;
  if (declared !== id) {
    throw new DocumentError(file, [
      {
        pointer: '/$schema',
        rule: 'schema',
        message: `must be ${id} (a ${kindName(id)} file is expected here)`,
        value: declared,
      },
    ]);
  }
  const problems = validateDocument(schema, copy);
  if (problems.length > 0) throw new DocumentError(file, problems);
  return deepFreeze(copy) as Frozen<Static<S>>;
}

/** Reads, parses and validates a document against `schema`; throws DocumentError (or a fs error). */
export async function readDocument<S extends DocumentSchema>(
  file: string,
  schema: S,
): Promise<Frozen<Static<S>>> {
  const text = await readFile(file, 'utf8');
  return checkDocument(file, parseJson(file, text), schema);
}

/**
 * Validates `value` against `schema` and writes it as canonical JSON, atomically. Returns the
 * text written. Throws DocumentError (nothing is written) when the value is invalid.
 */
export async function writeDocument<S extends DocumentSchema>(
  file: string,
  schema: S,
  value: Static<S> | Frozen<Static<S>>,
): Promise<string> {
  const copy = structuredClone(value) as unknown;
  const problems = validateDocument(schema, copy);
  if (problems.length > 0) throw new DocumentError(file, problems);
  const text = canonicalJson(copy);
  await writeFileAtomic(file, text);
  return text;
}

/** Writes `text` to `file` through a temp file in the same folder and a rename. */
export async function writeFileAtomic(file: string, text: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Freezes `value` and everything reachable from it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
