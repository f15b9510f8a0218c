import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { u8aToHex } from '@polkadot/util';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.js';
import { DEV_PATHS, devKeypair } from './dev.js';
import type { WeightsDocument } from '../documents/weights.js';
import { auditRounds, auditTimelock, readPulse } from './timelock-audit.js';
import { encodeTlockPayload } from './timelock-payload.js';
import { QUICKNET, timelockEncrypt } from './timelock.js';

const PULSE = {
  round: 1000,
  signature:
    'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
};
const validator = devKeypair(DEV_PATHS.validator).address;
const [a, b] = [devKeypair(DEV_PATHS.miner(0)).address, devKeypair(DEV_PATHS.miner(1)).address];
const score = { u16: { [a]: 30000, [b]: 10000 }, fallback: null };

/** A weights.json as publish-weights writes it for a CRv3 commit of `values` to round 1000. */
function committed(values: number[], scheme: 'crv3' | 'v4' = 'crv3'): WeightsDocument {
  const payload = {
    hotkey: scheme === 'v4' ? validator : null,
    uids: [1, 2],
    values,
    versionKey: 100,
  };
  return {
    $schema: 'https://podium.dev/schemas/weights.schema.json',
    version: 1,
    netuid: 2,
    validator,
    validatorUid: 0,
    status: 'committed',
    versionKey: 100,
    source: null,
    mappedAt: { number: 20, hash: `0x${'11'.repeat(32)}` },
    weights: [
      { uid: 1, hotkey: a, value: 65535 },
      { uid: 2, hotkey: b, value: 21845 },
    ],
    dropped: [],
    block: null,
    extrinsicHash: null,
    readBack: null,
    skipped: null,
    commitReveal: null,
    path: scheme === 'v4' ? 'timelock-v4' : 'timelock-crv3',
    timelock: {
      scheme,
      revealRound: 1000,
      expectedRevealBlock: 40,
      ciphertext: u8aToHex(timelockEncrypt(encodeTlockPayload(payload), 1000)),
      beaconPublicKey: QUICKNET.publicKey,
      commit: null,
    },
    call: null,
    producer: { podiumVersion: '0.1.0', podiumCommit: null },
  } as WeightsDocument;
}

describe('offline audit of a timelocked commit', () => {
  it("opens the committed ciphertext with the public pulse and finds score.json's weights (CRv3 and v4)", () => {
    for (const scheme of ['crv3', 'v4'] as const) {
      const audit = auditTimelock(committed([65535, 21845], scheme), PULSE, score);
      expect(audit.problems).toEqual([]);
      expect(audit.ok).toBe(true);
      expect(audit.payload).toEqual({
        hotkey: scheme === 'v4' ? validator : null,
        uids: [1, 2],
        values: [65535, 21845],
        versionKey: 100,
      });
    }
  });

  it('fails a commit whose encrypted weights differ from weights.json and score.json', () => {
    const audit = auditTimelock(committed([65535, 65535]), PULSE, score);
    expect(audit.ok).toBe(false);
    expect(audit.problems).toEqual([
      'committed values [65535,65535] differ from weights.json [65535,21845]',
      "committed values [65535,65535] differ from score.json's [65535,21845]",
    ]);
  });

  it("refuses a pulse of another round and a signature that is not the round's", () => {
    expect(
      auditTimelock(committed([65535, 21845]), { ...PULSE, round: 999 }, score).problems,
    ).toEqual(['the pulse is for round 999; the commit opens with round 1000']);
    const forged = { round: 1000, signature: `a${PULSE.signature.slice(1)}` };
    expect(auditTimelock(committed([65535, 21845]), forged, score).problems[0]).toMatch(
      /^the pulse does not verify: /,
    );
  });

  it('reads a pulse from drand JSON or round:signature, and audits a results folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'podium-audit-'));
    try {
      await writeFile(join(dir, 'pulse.json'), JSON.stringify({ ...PULSE, randomness: 'ab' }));
      expect(await readPulse(join(dir, 'pulse.json'))).toEqual(PULSE);
      expect(await readPulse(`1000:0x${PULSE.signature}`)).toEqual(PULSE);
      await expect(readPulse(join(dir, 'nope.json'))).rejects.toThrow(
        /neither <round>:<signature> nor a readable file/,
      );
      await mkdir(join(dir, '2026-03-01'));
      await writeFile(
        join(dir, '2026-03-01', 'weights.json'),
        JSON.stringify(committed([65535, 21845])),
      );
      await writeFile(join(dir, '2026-03-01', 'score.json'), JSON.stringify({ weights: score }));
      const [line] = await auditRounds(dir, ['2026-03-01'], [PULSE]);
      expect(line).toEqual({
        round: '2026-03-01',
        ok: true,
        line: "ok   2026-03-01 timelock: opens with drand round 1000; committed [65535,21845] = score.json's weights",
      });
      await expect(
        auditRounds(dir, ['2026-03-01'], [PULSE, { ...PULSE, round: 7 }]),
      ).rejects.toThrow(/--pulse for round 7: no timelocked commit/);
      // through the CLI: the audit line is printed after the results report
      const out: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...l: unknown[]) => void out.push(l.join(' ')));
      vi.spyOn(console, 'error').mockImplementation(
        (...l: unknown[]) => void out.push(l.join(' ')),
      );
      try {
        await main(['verify', dir, '--no-score', '--pulse', join(dir, 'pulse.json')]);
      } finally {
        vi.restoreAllMocks();
      }
      expect(out).toContain(line!.line);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
