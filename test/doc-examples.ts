/**
 * Reading the worked examples of docs/scoring.md, which tests recompute: a marked section and
 * the markdown tables in it.
 */

/** Returns the text between `<!-- example:<name> -->` and `<!-- /example:<name> -->`. */
export function exampleSection(doc: string, name: string): string {
  const open = `<!-- example:${name} -->`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(`<!-- /example:${name} -->`);
  if (start < 0 || end < start) throw new Error(`docs/scoring.md: no example:${name} section`);
  return doc.slice(start + open.length, end).trim();
}

/** Parses a markdown table into rows of trimmed cells (header and rule dropped). */
export function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2)
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}
