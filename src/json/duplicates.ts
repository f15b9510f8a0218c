/**
 * Finding duplicate object keys in JSON text. `JSON.parse` silently keeps the last of two equal
 * keys, so a document (or a signed entry) could show one value to a person reading the file and
 * another to podium. Runs on text JSON.parse has already accepted; keys are compared after
 * unescaping ("a" and "\u0061" are the same key).
 */

/** A duplicate key: the JSON pointer of the second occurrence and its offset in the text. */
export interface DuplicateKey {
  readonly pointer: string;
  readonly key: string;
  readonly offset: number;
  /** Offset of the first occurrence. */
  readonly firstOffset: number;
}

interface ObjectFrame {
  readonly kind: 'object';
  readonly path: string;
  readonly keys: Map<string, number>;
  key: string | null;
  expectKey: boolean;
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly path: string;
  index: number;
}

type Frame = ObjectFrame | ArrayFrame;

/** Escapes a key as one JSON pointer token (RFC 6901). */
export function pointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Returns the first duplicate key of valid JSON `text` (in text order), or null. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = [];
  const childPath = (): string => {
    const top = stack.at(-1);
    if (!top) return '';
    if (top.kind === 'array') return `${top.path}/${top.index}`;
    return `${top.path}/${pointerToken(top.key ?? '')}`;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const top = stack.at(-1);
    if (ch === '{') {
      stack.push({
        kind: 'object',
        path: childPath(),
        keys: new Map(),
        key: null,
        expectKey: true,
      });
    } else if (ch === '[') {
      stack.push({ kind: 'array', path: childPath(), index: 0 });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      if (top?.kind === 'array') top.index += 1;
      else if (top) top.expectKey = true;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const first = top.keys.get(key);
        if (first !== undefined) {
          return {
            pointer: `${top.path}/${pointerToken(key)}`,
            key,
            offset: i,
            firstOffset: first,
          };
        }
        top.keys.set(key, i);
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    }
  }
  return null;
}

/** Index of the quote closing the string literal that opens at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
