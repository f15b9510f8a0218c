import { describe, expect, it } from 'vitest';
import {
  MAX_COMMITTED_CONTEST_ID,
  formatCommitment,
  parseCommitment,
  parseCommitmentBytes,
} from './commitment.js';
import { ChainError } from './errors.js';

const SHA = '0123456789abcdef'.repeat(4);

describe('podium/1 commitments', () => {
  it('formats and parses back a submission', () => {
    const text = formatCommitment('sr-x2-demo', SHA);
    expect(text).toBe(`podium/1 sr-x2-demo ${SHA}`);
    expect(parseCommitment(text)).toEqual({ ok: true, contestId: 'sr-x2-demo', sha256: SHA });
  });

  it('fits the longest allowed contest id in exactly 128 bytes and refuses a longer one', () => {
    const longest = 'a'.repeat(MAX_COMMITTED_CONTEST_ID);
    expect(Buffer.byteLength(formatCommitment(longest, SHA))).toBe(128);
    expect(() => formatCommitment(`${longest}b`, SHA)).toThrow(/at most 54/);
  });

  it('refuses to format an upper-case hash or a contest id that is not a slug', () => {
    expect(() => formatCommitment('sr', SHA.toUpperCase())).toThrow(ChainError);
    expect(() => formatCommitment('SR x2', SHA)).toThrow(/lower-case letters/);
  });

  it.each([
    ['free text', 'hello world', 'foreign'],
    ['another tool', 'EdgeMaxxing:0001:repo', 'foreign'],
    ['a future version', `podium/2 sr ${SHA}`, 'unsupported-version'],
    ['a missing hash', 'podium/1 sr-x2-demo', 'malformed'],
    ['double spaces', `podium/1  sr ${SHA}`, 'malformed'],
    ['an upper-case hash', `podium/1 sr ${SHA.toUpperCase()}`, 'malformed'],
    ['a short hash', `podium/1 sr ${SHA.slice(1)}`, 'malformed'],
    ['a trailing field', `podium/1 sr ${SHA} extra`, 'malformed'],
    ['more than 128 bytes', `podium/1 ${'a'.repeat(60)} ${SHA}`, 'too-long'],
  ])('returns %s with a reason instead of throwing', (_name, text, reason) => {
    const parsed = parseCommitment(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toBe(reason);
      expect(parsed.message.length).toBeGreaterThan(10);
    }
  });

  it('reports bytes that are not UTF-8 as not-text', () => {
    const { text, parsed } = parseCommitmentBytes(new Uint8Array([0xff, 0xfe, 0x00]));
    expect(text).toBeNull();
    expect(parsed).toMatchObject({ ok: false, reason: 'not-text' });
  });
});
