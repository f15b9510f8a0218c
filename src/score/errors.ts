/**
 * The inputs handed to scoring do not fit together (a bench file from another round, two
 * baselines on one runner, a bench file for a hotkey the round does not know). Scoring refuses
 * rather than guess; the message names the file or hotkey and what to fix.
 */
export class ScoreInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScoreInputError';
  }
}
