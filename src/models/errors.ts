/** A source model (TF.js layers model) that the converter cannot read or does not support. */
export class ModelSourceError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ModelSourceError';
  }
}
