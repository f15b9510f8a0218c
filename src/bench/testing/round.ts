/** Test support: a schema-valid round.json for a (temp) contest and a list of models. */
import { join } from 'node:path';
import type { LoadedContest } from '../../contest/load.js';
import { writeDocument } from '../../json/file.js';
import { RoundSchema, type RoundDocument } from '../../documents/round.js';
import { schemaId } from '../../schemas/builders.js';
import { contestFileSha256 } from '../../contest/hash.js';
import type { ModelName } from '../../models/variants.js';
import type { Subject } from '../document.js';
import { demoModel } from './contest.js';

/** Development ss58 addresses (Alice, Bob, Charlie, Dave, Eve, Ferdie). */
export const HOTKEYS = [
  '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
  '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw',
  '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL',
] as const;

type Model = { url: string; sha256: string; bytes: number };

/** Writes `<dir>/round.json` with one submission per model (hotkeys in HOTKEYS order). */
export async function writeRound(
  dir: string,
  loaded: LoadedContest,
  models: readonly Model[],
  seed = '0x' + '7a'.repeat(32),
): Promise<string> {
  const round: RoundDocument = {
    $schema: schemaId('round'),
    version: 1,
    contest: { id: loaded.contest.id, sha256: await contestFileSha256(loaded.file) },
    id: '2025-06-01',
    cutoff: {
      instant: '2025-06-01T19:00:00.000Z',
      block: 1000,
      blockHash: seed,
      blockTimestampMs: 1748804400000,
    },
    seed,
    submissions: models.map((model, i) => ({
      uid: i + 1,
      hotkey: HOTKEYS[i] as string,
      model,
      commitment: { block: 900 + i, text: `podium/1 ${loaded.contest.id} ${model.sha256}` },
      entry: null,
    })),
    rejected: [],
    producer: { podiumVersion: '0.1.0', podiumCommit: null },
  };
  const file = join(dir, 'round.json');
  await writeDocument(file, RoundSchema, round);
  return file;
}

/**
 * The subjects of a bench run: the baseline, then one submission per demo model (hotkeys in
 * HOTKEYS order, uid i + 1).
 */
export async function demoSubjects(
  baseline: Subject['model'],
  names: readonly ModelName[],
): Promise<Subject[]> {
  return [
    { role: 'baseline', hotkey: null, uid: null, model: baseline },
    ...(await Promise.all(
      names.map(async (name, i) => ({
        role: 'submission' as const,
        hotkey: HOTKEYS[i] as string,
        uid: i + 1,
        model: await demoModel(name),
      })),
    )),
  ];
}
