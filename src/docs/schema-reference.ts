/**
 * Renders a JSON Schema as a Markdown field reference: one row per field with its JSON pointer,
 * type, whether it is required, its default and its description. Used to generate the field
 * reference in docs/contests.md, so the docs cannot drift from the schema.
 */
type Json = Record<string, unknown>;

/** One documented field. */
export interface FieldRow {
  pointer: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
}

/** Returns the rows for every field reachable from `schema`, depth first, in property order. */
export function fieldRows(schema: Json): FieldRow[] {
  const rows: FieldRow[] = [];
  visit(schema, '', rows);
  return rows;
}

function visit(node: Json, pointer: string, rows: FieldRow[]): void {
  const props = node.properties as Record<string, Json> | undefined;
  if (props) {
    const required = new Set((node.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      if (name === '$schema' || name === 'version') continue;
      const path = `${pointer}/${name}`;
      rows.push({
        pointer: path,
        type: typeOf(prop),
        required: required.has(name),
        ...('default' in prop ? { default: prop.default } : {}),
        description: describe(prop),
      });
      visit(prop, path, rows);
    }
  }
  const items = node.items as Json | undefined;
  if (items) visit(items, `${pointer}/*`, rows);
  for (const member of (node.oneOf as Json[] | undefined) ?? []) visit(member, pointer, rows);
}

function typeOf(s: Json): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.oneOf)) return 'one of (by `type`)';
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map(typeOf).join(' \\| ');
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items as Json) : 'any'}`;
  return String(s.type ?? 'any');
}

function describe(s: Json): string {
  const parts: string[] = [];
  if (typeof s.description === 'string') parts.push(s.description);
  const bounds: [string, string][] = [
    ['minimum', '≥'],
    ['exclusiveMinimum', '>'],
    ['maximum', '≤'],
    ['exclusiveMaximum', '<'],
  ];
  for (const [key, sign] of bounds)
    if (typeof s[key] === 'number') parts.push(`${sign} ${String(s[key])}`);
  if (typeof s.pattern === 'string') parts.push(`pattern \`${s.pattern}\``);
  if (typeof s.format === 'string') parts.push(`format ${s.format}`);
  return parts.join('; ').replaceAll('|', '\\|');
}

/** Renders rows as a Markdown table. */
export function renderFieldTable(rows: FieldRow[]): string {
  const lines = [
    '| field | type | required | default | notes |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const def = 'default' in r ? `\`${JSON.stringify(r.default)}\`` : '';
    lines.push(
      `| \`${r.pointer}\` | ${r.type} | ${r.required ? 'yes' : ''} | ${def} | ${r.description} |`,
    );
  }
  return lines.join('\n') + '\n';
}
