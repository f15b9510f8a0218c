import { describe, expect, it } from 'vitest';
import { annotations, summaryRows, SUMMARY_ROWS } from './report.js';
import { scoreRound } from './score.js';
import {
  DEV_HOTKEYS as H,
  syntheticHotkey,
  testBench,
  testContest,
  testRound,
  timings,
} from './testing.js';

const base = timings(10, 8);

describe('score report', () => {
  it('annotates invalid submissions, copies, review groups and the fallback', () => {
    const doc = scoreRound({
      contest: testContest(),
      round: testRound([
        { hotkey: H.alice, uid: 1, block: 1 },
        { hotkey: H.bob, uid: 2, block: 2, artifact: H.alice },
        { hotkey: H.charlie, uid: 3, block: 3 },
        { hotkey: H.dave, uid: 4, block: 4 },
      ]),
      bench: [
        testBench({ ms: base }),
        testBench({ hotkey: H.alice, uid: 1, ms: base, outputs: 'same' }),
        testBench({ hotkey: H.charlie, uid: 3, ms: base, outputs: 'same' }),
        testBench({ hotkey: H.dave, uid: 4, ms: base, valid: false }),
      ],
      history: [],
    });
    expect(annotations(doc).map((a) => [a.level, a.title])).toEqual([
      ['notice', 'copy: uid 2'],
      ['notice', 'invalid: uid 4'],
      ['warning', 'review: identical-outputs'],
      ['notice', 'fallback weights'],
    ]);
    const rows = summaryRows(doc);
    expect(rows[0]).toContain('u16');
    expect(rows.slice(1).map((r) => r[1])).toEqual(['1 (tie)', '1 (tie)', 'invalid', 'invalid']);
  });

  it(`shows at most ${SUMMARY_ROWS} submissions and counts the rest`, () => {
    const subs = Array.from({ length: SUMMARY_ROWS + 3 }, (_, i) => ({
      hotkey: syntheticHotkey(i),
      uid: i,
      block: i,
    }));
    const doc = scoreRound({
      contest: testContest(),
      round: testRound(subs),
      bench: [],
      history: [],
    });
    const rows = summaryRows(doc);
    expect(rows).toHaveLength(SUMMARY_ROWS + 2);
    expect(rows.at(-1)![2]).toBe('3 more in score.json');
  });
});
