import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { finalizeSchema } from './finalize.js';
import { SCHEMAS_DIR, publishedSchemas, staleSchemas } from './generate.js';
import { SCHEMAS, kinds } from './registry.js';
import { validateDocument } from './validate.js';

type Json = Record<string, unknown>;

function objects(node: unknown, path: string, out: [string, Json][]): [string, Json][] {
  if (Array.isArray(node)) node.forEach((n, i) => objects(n, `${path}/${i}`, out));
  else if (typeof node === 'object' && node !== null) {
    const o = node as Json;
    if (o.type === 'object' && 'properties' in o) out.push([path, o]);
    for (const [k, v] of Object.entries(o)) if (k !== 'default' && k !== 'const') objects(v, `${path}/${k}`, out);
  }
  return out;
}

describe('published schemas', () => {
  it('schemas/ matches the TypeBox definitions (run npm run schemas after editing them)', async () => {
    expect(await staleSchemas()).toEqual([]);
    const onDisk = (await readdir(SCHEMAS_DIR)).filter((f) => f.endsWith('.schema.json')).sort();
    expect(onDisk).toEqual([...publishedSchemas().keys()].sort());
  });

  it.each(kinds())('%s is 2020-12 with an absolute $id and refuses unknown fields everywhere', (kind) => {
    const schema = finalizeSchema(SCHEMAS[kind]);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(String(schema.$id)).toMatch(/^https:\/\/.+\/schemas\/[a-z-]+\.schema\.json$/);
    for (const [path, obj] of objects(schema, '', [])) {
      expect({ path, additionalProperties: obj.additionalProperties }).toEqual({ path, additionalProperties: false });
    }
  });

  it.each(kinds())('%s: fields with a default are optional in the file and documented', (kind) => {
    for (const [, obj] of objects(finalizeSchema(SCHEMAS[kind]), '', [])) {
      const props = obj.properties as Record<string, Json>;
      const required = (obj.required as string[] | undefined) ?? [];
      for (const [name, prop] of Object.entries(props)) {
        if ('default' in prop) expect(required).not.toContain(name);
      }
    }
  });

  it.each(kinds())('%s: an empty object is rejected (the schema is not vacuous)', (kind) => {
    expect(validateDocument(SCHEMAS[kind], {}).length).toBeGreaterThan(0);
  });
});
