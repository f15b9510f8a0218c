/**
 * Finds where JSON text first goes wrong. V8's JSON.parse messages carry no offset for many
 * errors, and a miner fixing an entry at 2 a.m. needs a line and column: this scanner walks
 * the RFC 8259 grammar just far enough to return the offset of the first offending character.
 */

/** Returns the offset of the first syntax error in `text`, or -1 when it is valid JSON. */
export function jsonSyntaxErrorOffset(text: string): number {
  const s = new Scanner(text);
  try {
    s.ws();
    s.value();
    s.ws();
    if (s.i < text.length) throw s.i;
    return -1;
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
}

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  ws(): void {
    while (this.i < this.t.length && ' \t\n\r'.includes(this.t[this.i] as string)) this.i++;
  }

  value(): void {
    const c = this.t[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.t.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    throw this.i;
  }

  object(): void {
    this.i++;
    this.ws();
    if (this.t[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.t[this.i] !== '"') throw this.i;
      this.string();
      this.ws();
      if (this.t[this.i] !== ':') throw this.i;
      this.i++;
      this.ws();
      this.value();
      this.ws();
      const c = this.t[this.i];
      this.i++;
      if (c === '}') return;
      if (c !== ',') throw this.i - 1;
    }
  }

  array(): void {
    this.i++;
    this.ws();
    if (this.t[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      this.value();
      this.ws();
      const c = this.t[this.i];
      this.i++;
      if (c === ']') return;
      if (c !== ',') throw this.i - 1;
    }
  }

  string(): void {
    this.i++;
    while (this.i < this.t.length) {
      const c = this.t[this.i] as string;
      if (c === '"') {
        this.i++;
        return;
      }
      if (c < ' ') throw this.i;
      if (c === '\\') {
        const e = this.t[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.t.slice(this.i + 2, this.i + 6))) throw this.i;
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw this.i;
        this.i += 2;
        continue;
      }
      this.i++;
    }
    throw this.i;
  }

  number(): void {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.t.slice(this.i));
    if (!m || m[0] === '' || m[0] === '-') throw this.i;
    this.i += m[0].length;
  }
}
