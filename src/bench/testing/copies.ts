/**
 * Test and benchmark support: many submissions from one real model, each with distinct bytes
 * (the doc string names the copy; the graph and weights are unchanged, so every copy computes
 * exactly what the original does), and ss58 hotkeys for as many miners as needed.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ModelProtoSchema } from 'onnx-buf';
import { DEV_PATHS, devKeypair } from '../../chain/dev.js';
import { ensureModels, modelPath } from '../../models/build.js';
import type { ModelName } from '../../models/variants.js';

/** An artifact triple as round.json and contest.json carry it. */
export interface Artifact {
  readonly url: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** Writes `count` copies of model `name` into `dir`, each with its own bytes; returns them. */
export async function distinctCopies(
  name: ModelName,
  count: number,
  dir: string,
): Promise<Artifact[]> {
  await ensureModels();
  const original = new Uint8Array(await readFile(modelPath(name)));
  const out: Artifact[] = [];
  for (let k = 0; k < count; k++) {
    const m = fromBinary(ModelProtoSchema, original);
    m.docString = `${m.docString} (podium copy ${k})`;
    const bytes = toBinary(ModelProtoSchema, m);
    const file = join(dir, `${name}-copy-${k}.onnx`);
    await writeFile(file, bytes);
    out.push({
      url: pathToFileURL(file).href,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.byteLength,
    });
  }
  return out;
}

/** Returns the hotkeys (ss58) of development miners 0 … count − 1 (//podium//miner//i). */
export async function minerHotkeys(count: number): Promise<string[]> {
  await cryptoWaitReady();
  return Array.from({ length: count }, (_, i) => devKeypair(DEV_PATHS.miner(i)).address);
}
