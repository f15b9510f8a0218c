/**
 * Reading and writing podium documents: every file is parsed strictly, validated against the
 * schema its `$schema` names, and returned deep-frozen; every write is validated first, written
 * as canonical JSON, and lands atomically (temp file + rename), so a failed write never leaves a
 * half-written file behind.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { schemaId } from '../schemas/builders.js';
import { SCHEMAS, type DocumentOf, type Kind } from '../schemas/registry.js';
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

/** Returns the kind named by a document's `$schema`, or throws DocumentError. */
export function kindOf(file: string, data: unknown): Kind {
  const declared =
    typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>).$schema
      : undefined;
  for (const kind of Object.keys(SCHEMAS) as Kind[]) {
    if (declared === schemaId(kind)) return kind;
  }
  const known = (Object.keys(SCHEMAS) as Kind[]).map(schemaId).join(', ');
  throw new DocumentError(file, [
    {
      pointer: '/$schema',
      rule: 'schema',
      message: `must name a podium schema (one of ${known})`,
      value: declared,
    },
  ]);
}

/**
 * Validates parsed data as `kind` (or the kind its `$schema` names when `kind` is omitted),
 * fills in defaults, and returns it deep-frozen. Throws DocumentError listing every problem.
 */
export function checkDocument<K extends Kind>(
  file: string,
  data: unknown,
  kind: K,
): Frozen<DocumentOf<K>> {
  const copy = structuredClone(data);
  const found = kindOf(file, copy);
  if (found !== kind) {
    throw new DocumentError(file, [
      {
        pointer: '/$schema',
        rule: 'schema',
        message: `must be ${schemaId(kind)} (a ${kind} file is expected here)`,
        value: schemaId(found),
      },
    ]);
  }
  const problems = validateDocument(kind, copy);
  if (problems.length > 0) throw new DocumentError(file, problems);
  return deepFreeze(copy) as Frozen<DocumentOf<K>>;
}

/** Reads, parses and validates a document of `kind`; throws DocumentError (or a fs error). */
export async function readDocument<K extends Kind>(
  file: string,
  kind: K,
): Promise<Frozen<DocumentOf<K>>> {
  const text = await readFile(file, 'utf8');
  return checkDocument(file, parseJson(file, text), kind);
}

/**
 * Validates `value` as `kind` and writes it as canonical JSON, atomically. Returns the bytes
 * written. Throws DocumentError (nothing is written) when the value is invalid.
 */
export async function writeDocument<K extends Kind>(
  file: string,
  kind: K,
  value: DocumentOf<K> | Frozen<DocumentOf<K>>,
): Promise<string> {
  const copy = structuredClone(value) as unknown;
  const problems = validateDocument(kind, copy);
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
