/** Why a task could not build a round's inputs (a missing folder, an image smaller than the crop…). */
export class InputsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputsError';
  }
}
