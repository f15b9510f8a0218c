/**
 * ajv (JSON Schema 2020-12, strict, with formats), compiling each document schema the first time
 * it is used (never the whole registry). Turns ajv's errors into podium Problems that name the
 * JSON pointer, the rule and the bad value.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { escapePointer } from '../json/canonical.js';
import type { Problem } from '../json/errors.js';
import { finalizeSchema } from './finalize.js';
import type { TSchema } from '@sinclair/typebox';

// ajv-formats is CommonJS with a default export; under NodeNext its callable sits on .default.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

/** True for any IANA time zone name this runtime knows (`America/Los_Angeles`, `UTC`…). */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function makeAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    useDefaults: true,
    discriminator: true,
    verbose: true,
  });
  addFormats(ajv);
  ajv.addFormat('iana-time-zone', { type: 'string', validate: isIanaTimeZone });
  return ajv;
}

let shared: Ajv2020 | undefined;
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    shared ??= makeAjv();
    const id = schema.$id;
    if (typeof id !== 'string') throw new Error('a document schema must have an $id');
    fn = shared.getSchema(id);
    if (!fn) {
      shared.addSchema(finalizeSchema(schema));
      fn = shared.getSchema(id);
    }
    if (!fn) throw new Error(`no compiled schema for ${id}`);
    compiled.set(schema, fn);
  }
  return fn;
}

/**
 * Validates `data` against the document schema `schema` (compiled on first use), filling in
 * schema defaults in place. Returns every problem found (empty when valid); never throws for bad
 * data. Throws only when `schema` has no `$id` (a programming error).
 */
export function validateDocument(schema: TSchema, data: unknown): Problem[] {
  const fn = validatorFor(schema);
  if (fn(data)) return [];
  return dedupe((fn.errors ?? []).map((e) => toProblem(e, data)));
}

function toProblem(e: ErrorObject, root: unknown): Problem {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const pointer = `${e.instancePath}/${escapePointer(name)}`;
      return { pointer, rule: e.keyword, message: 'is not a known field', value: at(root, pointer) };
    }
    case 'required': {
      const pointer = `${e.instancePath}/${escapePointer(String(params.missingProperty))}`;
      return { pointer, rule: e.keyword, message: 'is required but missing' };
    }
    case 'enum':
      return {
        pointer: e.instancePath,
        rule: e.keyword,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        value: at(root, e.instancePath),
      };
    case 'const':
      return {
        pointer: e.instancePath,
        rule: e.keyword,
        message: `must be ${JSON.stringify(params.allowedValue)}`,
        value: at(root, e.instancePath),
      };
    case 'format':
      return {
        pointer: e.instancePath,
        rule: e.keyword,
        message: `must be a valid ${String(params.format)}`,
        value: at(root, e.instancePath),
      };
    case 'discriminator': {
      const pointer = `${e.instancePath}/${escapePointer(String(params.tag))}`;
      const members = ((e.parentSchema as { oneOf?: unknown[] } | undefined)?.oneOf ?? []) as {
        properties?: Record<string, { const?: unknown }>;
      }[];
      const tags = members.map((m) => JSON.stringify(m.properties?.[String(params.tag)]?.const));
      return { pointer, rule: e.keyword, message: `must be one of ${tags.join(', ')}`, value: at(root, pointer) };
    }
    default:
      return {
        pointer: e.instancePath,
        rule: e.keyword,
        message: e.message ?? 'is invalid',
        value: at(root, e.instancePath),
      };
  }
}

/** Resolves a JSON pointer in `root`; undefined when absent. */
export function at(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer}\u0000${p.rule}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
