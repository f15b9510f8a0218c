/**
 * The labelled datasets podium ships readers for (contest `inputs.source.name`), with the facts
 * a contest is checked against before anything is loaded. Pure data; the readers live in
 * src/data/ (a test keeps the sizes equal to what the readers find).
 */
export const DATASETS = {
  mnist: { size: 10_000, side: 28, channels: 1, classes: 10 },
} as const;

export const DATASET_NAMES = Object.keys(DATASETS) as unknown as readonly [keyof typeof DATASETS];
export type DatasetName = keyof typeof DATASETS;
