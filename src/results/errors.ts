/**
 * The one error type of the results boundary (writing, indexing, committing, verifying a
 * contest's `results/` folder). `message` names the file and says what differs or what to do.
 */
export class ResultsError extends Error {
  constructor(
    /** The file the problem is in (as the user would type it), or the results folder. */
    readonly file: string,
    /** What is wrong, phrased to follow the file name. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ResultsError';
  }
}
