import { describe, expect, it } from 'vitest';
import { schemaId } from '../schemas/builders.js';
import { hotkeyProblem } from '../documents/hotkey.js';
import { signatureProblem, signEntry, signingText } from './sign.js';
import { devKey, signedEntry, unsignedEntry } from './testing.js';

// A fixed vector: //Alice signed this entry once; sr25519 signatures are randomised, so a new
// signature differs, but this one must verify forever and the signed text must never change.
const VECTOR = {
  entry: {
    $schema: schemaId('entry'),
    version: 1 as const,
    contest: 'sr-x2-demo',
    hotkey: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
    model: {
      url: 'https://models.example.org/sr-x2/fast.onnx',
      sha256: 'a'.repeat(64),
      bytes: 123456,
    },
    source: 'https://github.com/example/fast-sr',
    createdAt: '2025-01-02T03:04:05.000Z',
    signature:
      '0x2aeb6899c17f38626235b1dcfd2c7d4c28d824679b526a6f6bf1d9ab388bfb65' +
      'bb84e59854fdac97092892745e965336a847582d8e60988886342421d952a08e',
  },
  text:
    '<Bytes>{"$schema":"https://podium-subnet.github.io/podium/schemas/entry.schema.json",' +
    '"contest":"sr-x2-demo","createdAt":"2025-01-02T03:04:05.000Z",' +
    '"hotkey":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY","model":{"bytes":123456,' +
    '"sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",' +
    '"url":"https://models.example.org/sr-x2/fast.onnx"},' +
    '"source":"https://github.com/example/fast-sr","version":1}</Bytes>',
};

describe('entry signatures', () => {
  it('signs the <Bytes>-wrapped compact canonical JSON of every field but the signature', () => {
    expect(signingText(VECTOR.entry)).toBe(VECTOR.text);
    expect(signatureProblem(VECTOR.entry)).toBeNull();
  });

  it('round-trips: an entry signed by its hotkey verifies', () => {
    for (const name of ['Alice', 'Bob', 'Charlie']) {
      expect(signatureProblem(signedEntry(devKey(name)))).toBeNull();
    }
  });

  it('does not depend on key order or whitespace of the file', () => {
    const entry = signedEntry(devKey('Alice'));
    const reordered = JSON.parse(
      JSON.stringify(entry, Object.keys(entry).reverse()),
    ) as typeof entry;
    reordered.model = {
      bytes: entry.model.bytes,
      url: entry.model.url,
      sha256: entry.model.sha256,
    };
    expect(signatureProblem(reordered)).toBeNull();
  });

  it('rejects an entry whose signature is by another hotkey', () => {
    const alice = devKey('Alice');
    const byBob = devKey('Bob').sign(new TextEncoder().encode(signingText(unsignedEntry(alice))));
    const forged = {
      ...unsignedEntry(alice),
      signature: `0x${Buffer.from(byBob).toString('hex')}`,
    };
    expect(signatureProblem(forged)).toMatch(/does not verify for hotkey 5Grwva.*another key/);
  });

  it('rejects an entry whose field was modified after signing', () => {
    const entry = signedEntry(devKey('Alice'));
    const modified = { ...entry, model: { ...entry.model, sha256: 'b'.repeat(64) } };
    expect(signatureProblem(modified)).toMatch(/field changed after signing/);
  });

  it('rejects the same signature over the unwrapped JSON (exactly one signed form)', () => {
    const alice = devKey('Alice');
    const unsigned = unsignedEntry(alice);
    const bare = signingText(unsigned).slice('<Bytes>'.length, -'</Bytes>'.length);
    const sig = alice.sign(new TextEncoder().encode(bare));
    expect(
      signatureProblem({ ...unsigned, signature: `0x${Buffer.from(sig).toString('hex')}` }),
    ).not.toBeNull();
  });

  it('refuses to sign for a hotkey that is not the signing key', () => {
    const entry = unsignedEntry(devKey('Alice'));
    expect(() => signEntry(entry, devKey('Bob'))).toThrow(/is not the signing key's address/);
  });

  it('accepts only prefix-42 ss58 hotkeys, so one key has one file name', () => {
    expect(hotkeyProblem('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')).toBeNull();
    // //Alice with the Polkadot prefix (0)
    expect(hotkeyProblem('15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5')).toMatch(
      /must be written with ss58 prefix 42: 5GrwvaEF/,
    );
    expect(hotkeyProblem('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ')).toMatch(
      /not a valid ss58/,
    );
  });
});
