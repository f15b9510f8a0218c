/** The labelled datasets podium ships readers for (contest `inputs.source.name`). Pure data. */
export const DATASET_NAMES = ['mnist'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
