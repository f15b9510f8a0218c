/**
 * The verdict scoring would give one locally benchmarked model (`podium bench`): the two bench
 * documents are put into a one-submission round and scored by scoreRound itself, so the verdict
 * can never drift from the rule validators apply. Pure.
 */
import type { Contest } from '../contest/load.js';
import type { BenchDocument } from '../documents/bench.js';
import type { RoundDocument } from '../documents/round.js';
import { schemaId } from '../schemas/builders.js';
import { PODIUM_VERSION } from '../version.js';
import type { ScoreDocument } from '../documents/score.js';
import { scoreRound } from './score.js';

/** What scoring would decide for the model. */
export interface LocalVerdict {
  readonly kind: 'earns' | 'no-gain' | 'invalid';
  /** One line, e.g. "earns: score 2.40 [2.38, 2.42] beyond 1 + noise floor 0.03". */
  readonly line: string;
  /** The score document scoreRound produced (one submission, uid 1). */
  readonly score: ScoreDocument;
}

/** Stand-in hotkey for the local model (the well-known //Alice address; nothing is signed). */
const LOCAL_HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

/**
 * Scores `submission` against `baseline` (both from one local run) as a round of one. Returns
 * the verdict; throws ScoreInputError when the documents do not belong together.
 */
export function localVerdict(
  contest: Contest,
  baseline: BenchDocument,
  submission: BenchDocument,
): LocalVerdict {
  const round = localRound(baseline, submission);
  const subject = { ...submission.subject, hotkey: LOCAL_HOTKEY, uid: 1 };
  const score = scoreRound({
    contest,
    round,
    bench: [baseline, { ...submission, subject }],
    history: [],
  });
  const scored = score.submissions.find((s) => s.hotkey === LOCAL_HOTKEY);
  if (!scored) throw new Error('scoreRound lost the local submission'); // a bug, not a user error
  const floor = score.method.noiseFloor;
  if (!scored.valid) {
    const why = scored.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
    return { kind: 'invalid', line: `invalid: ${why}`, score };
  }
  if (score.method.strategy === 'quality-at-budget') {
    const said = scored.flags
      .filter((x) => x.code === 'latency-budget' || x.code === 'quality-gain')
      .map((x) => x.message)
      .join('; ');
    return scored.earns
      ? { kind: 'earns', line: `earns: ${said}`, score }
      : { kind: 'no-gain', line: `valid, earns nothing: ${said}`, score };
  }
  const s = scored.score;
  const interval = s ? `score ${f(s.point)} [${f(s.lower)}, ${f(s.upper)}]` : 'no score';
  if (scored.earns) {
    return { kind: 'earns', line: `earns: ${interval} beyond 1 + noise floor ${floor}`, score };
  }
  return {
    kind: 'no-gain',
    line: `valid but not faster than the baseline beyond the noise floor: ${interval}; earning needs the lower bound above ${f(1 + floor)} (1 + noise floor ${floor})`,
    score,
  };
}

function f(x: number): string {
  return x.toFixed(3);
}

function localRound(baseline: BenchDocument, submission: BenchDocument): RoundDocument {
  const model = submission.subject.model;
  return {
    $schema: schemaId('round'),
    version: 1,
    contest: baseline.contest,
    id: baseline.round,
    cutoff: {
      instant: '1970-01-01T00:00:00Z',
      block: 0,
      blockHash: baseline.settings.seed,
      blockTimestampMs: 0,
    },
    seed: baseline.settings.seed,
    submissions: [
      {
        uid: 1,
        hotkey: LOCAL_HOTKEY,
        model,
        commitment: { block: 0, text: `podium/1 ${baseline.contest.id} ${model.sha256}` },
        entry: null,
      },
    ],
    rejected: [],
    producer: { podiumVersion: PODIUM_VERSION, podiumCommit: null },
  };
}
