import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError, compactCanonicalJson } from './canonical.js';
import { DocumentError } from './errors.js';
import { parseJson, readDocument, writeDocument } from './file.js';
import { jsonSyntaxErrorOffset } from './locate.js';
import { findDuplicateKey } from './duplicates.js';
import { ContestSchema } from '../contest/schema.js';
import { RoundSchema } from '../documents/round.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and ends with a newline', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('gives the same bytes whatever the insertion order', () => {
    expect(compactCanonicalJson({ x: 1, y: [1, 2] })).toBe(
      compactCanonicalJson({ y: [1, 2], x: 1 }),
    );
  });

  it('refuses NaN and Infinity, naming the pointer', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow(
      new CanonicalJsonError('/a/1', 'is NaN, not a finite number'),
    );
    expect(() => canonicalJson({ 'x/y': Infinity })).toThrow('/x~1y is Infinity');
  });

  it('writes -0 as 0 and drops undefined object fields', () => {
    expect(compactCanonicalJson({ a: -0, b: undefined })).toBe('{"a":0}');
  });
});

describe('JSON syntax errors', () => {
  it.each([
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"a": tru}', 6],
    ['{"a": "x\u0001"}', 8],
    ['{"a": 01}', 7],
    ['{} x', 3],
  ])('locates the first error in %j at offset %i', (text, offset) => {
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });

  it('accepts valid JSON', () => {
    expect(jsonSyntaxErrorOffset('{"a": [1, -2.5e3, true, null, "\\u00e9\\n"]}')).toBe(-1);
  });

  it('reports line and column in the parse error', () => {
    expect(() => parseJson('x.json', '{\n  "a": 1,\n  "b": ]\n}')).toThrow(
      'x.json: / is not valid JSON at line 3, column 8',
    );
  });
});

describe('writeDocument', () => {
  const round = {
    $schema: 'https://podium-subnet.github.io/podium/schemas/round.schema.json',
    version: 1,
    contest: { id: 'sr-x2-demo', sha256: 'a'.repeat(64) },
    id: '2026-11-23',
    cutoff: {
      instant: '2026-11-23T20:00:00Z',
      block: 10,
      blockHash: `0x${'b'.repeat(64)}`,
      blockTimestampMs: 1,
    },
    seed: `0x${'b'.repeat(64)}`,
    submissions: [],
    rejected: [],
    producer: { podiumVersion: '0.1.0', podiumCommit: null },
  };

  it('round-trips a valid document as canonical JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-json-'));
    const file = join(dir, 'sub', 'round.json');
    const text = await writeDocument(file, RoundSchema, round);
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(text).toBe(canonicalJson(round));
    const back = await readDocument(file, RoundSchema);
    expect(back.cutoff.block).toBe(10);
    expect(Object.isFrozen(back)).toBe(true);
  });

  it('writes nothing when the value is invalid, and leaves the earlier file intact', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-json-'));
    const file = join(dir, 'round.json');
    const first = await writeDocument(file, RoundSchema, round);
    const bad = { ...round, seed: 'not-a-hash' };
    await expect(writeDocument(file, RoundSchema, bad)).rejects.toThrow(DocumentError);
    await expect(writeDocument(file, RoundSchema, bad)).rejects.toThrow(
      `${file}: /seed must match pattern`,
    );
    expect(await readFile(file, 'utf8')).toBe(first);
    expect(await readdir(dir)).toEqual(['round.json']);
  });

  it('refuses to read a file of another kind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-json-'));
    const file = join(dir, 'round.json');
    await writeDocument(file, RoundSchema, round);
    await expect(readDocument(file, ContestSchema)).rejects.toThrow(
      `${file}: /$schema must be https://podium-subnet.github.io/podium/schemas/contest.schema.json (a contest file is expected here)`,
    );
  });
});

describe('duplicate keys', () => {
  it.each([
    ['{"a": 1, "a": 2}', '/a'],
    ['{"a": {"b": 1, "c": 2, "b": 3}}', '/a/b'],
    ['{"x": [{"k": 1}, {"k": 1, "k": 2}]}', '/x/1/k'],
    ['{"a": 1, "\\u0061": 2}', '/a'],
    ['{"p/q~": 1, "p/q~": 2}', '/p~1q~0'],
    ['[[], [{"z": 0}], {"m": {"n": [1, {"o": 1, "o": 1}]}}]', '/2/m/n/1/o'],
  ])('finds the duplicate in %s at %s', (text, pointer) => {
    expect(findDuplicateKey(text)?.pointer).toBe(pointer);
  });

  it.each([
    '{"a": 1, "b": {"a": 2}}',
    '{"s": "{\\"a\\": 1, \\"a\\": 2}", "t": ["a", "a"]}',
    '[{"a": 1}, {"a": 2}]',
    '{"a\\"": 1, "a": 2}',
  ])('finds none in %s', (text) => {
    expect(findDuplicateKey(text)).toBeNull();
  });

  it('refuses a document with a duplicate key, naming its pointer, line and column', () => {
    const text =
      '{\n  "limits": {\n    "artifactBytes": 10,\n    "artifactBytes": 99999999\n  }\n}\n';
    expect(() => parseJson('contest.json', text)).toThrow(
      new DocumentError('contest.json', [
        {
          pointer: '/limits/artifactBytes',
          rule: 'duplicate-key',
          message:
            'is a duplicate key "artifactBytes" at line 4, column 5 (first at line 3, column 5): keep exactly one',
        },
      ]),
    );
  });
});
