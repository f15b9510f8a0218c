/**
 * The weights a round's score asks the chain for. One decision, used by the publish-weights
 * action (src/round/publish.ts) and by `podium publish-weights --weights <score.json>`, so a
 * dry run by hand prints the call the workflow sends (docs/adr/0101-weights-from-score.md).
 */

/** The part of a score.json this decision reads. */
export interface ScoreWeightsInput {
  readonly weights: {
    readonly u16: Readonly<Record<string, number>>;
    readonly fallback: { readonly uid: number; readonly u16: number } | null;
  };
}

/** The weights to send, by hotkey, and why the vector is empty when it is. */
export interface WeightsDecision {
  readonly byHotkey: Readonly<Record<string, number>>;
  /** Why nothing is sent (the fallback uid is not registered), else null. */
  readonly note: string | null;
}

/**
 * Returns the score's positive u16 weights by hotkey; when nobody earned and the score names a
 * fallback uid, all weight to the hotkey registered at that uid among `neurons` (the metagraph
 * now). When that uid is not registered the vector is empty and `note` says why: publishing
 * then records status "skipped" (reason "no-weights") instead of failing, so the round is
 * still signed and recorded. Pure; never throws.
 */
export function weightsFromScore(
  score: ScoreWeightsInput,
  neurons: readonly { readonly uid: number; readonly hotkey: string }[],
): WeightsDecision {
  const earned = Object.entries(score.weights.u16).filter(([, value]) => value > 0);
  const fallback = score.weights.fallback;
  if (earned.length > 0 || fallback === null)
    return { byHotkey: Object.fromEntries(earned), note: null };
  const neuron = neurons.find((n) => n.uid === fallback.uid);
  if (neuron) return { byHotkey: { [neuron.hotkey]: fallback.u16 }, note: null };
  return {
    byHotkey: {},
    note: `nobody earned and the fallback uid ${fallback.uid} is not registered now: nothing to set`,
  };
}
