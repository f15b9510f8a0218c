/**
 * Turns a TypeBox schema into the published JSON Schema: plain JSON (no TypeBox symbols),
 * `required` without the fields that have a `default`, `additionalProperties: false` on every
 * object that does not say otherwise, and tagged unions (`anyOf` of objects whose `type` field is
 * a constant) as `oneOf` + `discriminator`, so a mistake reports against the right branch.
 */
import type { TSchema } from '@sinclair/typebox';

type Json = Record<string, unknown>;

/** Returns the published form of `schema`; pure, does not modify its argument. */
export function finalizeSchema(schema: TSchema): Json {
  return walk(JSON.parse(JSON.stringify(schema)) as Json);
}

function walk(node: Json): Json {
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) {
      node[key] = value.map((item: unknown) => (isObject(item) ? walk(item) : item));
    } else if (isObject(value)) {
      node[key] = key === 'default' || key === 'const' ? value : walk(value);
    }
  }
  if (node.type === 'object' && isObject(node.properties)) {
    const properties = node.properties;
    if (Array.isArray(node.required)) {
      const required = (node.required as string[]).filter((name) => {
        const prop = properties[name];
        return !(isObject(prop) && 'default' in prop);
      });
      if (required.length > 0) node.required = required;
      else delete node.required;
    }
    if (!('additionalProperties' in node)) node.additionalProperties = false;
  }
  if (Array.isArray(node.anyOf) && isTaggedUnion(node.anyOf)) {
    node.oneOf = node.anyOf;
    delete node.anyOf;
    node.discriminator = { propertyName: 'type' };
    node.type = 'object';
  }
  return node;
}

function isTaggedUnion(members: unknown[]): boolean {
  return members.every((m) => {
    if (!isObject(m) || !isObject(m.properties)) return false;
    const tag = m.properties.type;
    return isObject(tag) && typeof tag.const === 'string' && Array.isArray(m.required) && m.required.includes('type');
  });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
