/**
 * Creating an entry: hash the model file, build the entry, sign it with the hotkey, write it to
 * `<contest folder>/entries/<hotkey>.json`, and say exactly what to commit on chain.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { formatCommitment } from '../chain/commitment.js';
import type { LoadedContest } from '../contest/load.js';
import { writeDocument } from '../json/file.js';
import { schemaId } from '../schemas/builders.js';
import { EntrySchema, type EntryDocument, type UnsignedEntry } from './schema.js';
import { hotkeyAddress } from '../documents/hotkey.js';
import { signEntry, type EntrySigner } from './sign.js';

/** Thrown when an entry cannot be created; the message says what to change. */
export class EntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryError';
  }
}

/** sha256 (hex) and size of a file, read once as a stream. */
export async function fileDigest(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** What createEntry needs. */
export interface CreateEntryOptions {
  readonly contest: LoadedContest;
  /** The model file whose sha256 and size the entry declares. */
  readonly modelFile: string;
  /** Where validators download it: https (or file: for local demos). */
  readonly url: string;
  /** Optional public source repository (https). */
  readonly source?: string;
  readonly signer: EntrySigner;
  /** Signing time (default now). */
  readonly now?: Date;
}

/** The written entry, where it is, and the commitment the hotkey must set. */
export interface CreatedEntry {
  readonly file: string;
  readonly entry: EntryDocument;
  readonly commitment: string;
}

/**
 * Writes the signed entry file and returns it with its commitment text. Throws EntryError when
 * the URL is not https/file, the model is empty or over the contest's limit, or the contest id
 * cannot be committed; DocumentError when the entry would not validate (nothing is written).
 */
export async function createEntry(options: CreateEntryOptions): Promise<CreatedEntry> {
  const { contest } = options.contest;
  checkUrl(options.url, options.source);
  const digest = await fileDigest(options.modelFile).catch((err: unknown) => {
    throw new EntryError(`cannot read model ${options.modelFile}: ${(err as Error).message}`);
  });
  if (digest.bytes === 0) throw new EntryError(`model ${options.modelFile} is empty`);
  if (digest.bytes > contest.limits.artifactBytes) {
    throw new EntryError(
      `model ${options.modelFile} is ${digest.bytes} bytes; contest ${contest.id} accepts at most ` +
        `${contest.limits.artifactBytes} (limits.artifactBytes)`,
    );
  }
  let commitment: string;
  try {
    commitment = formatCommitment(contest.id, digest.sha256);
  } catch (err) {
    throw new EntryError((err as Error).message);
  }
  const hotkey = hotkeyAddress(options.signer.publicKey);
  const unsigned: UnsignedEntry = {
    $schema: schemaId('entry'),
    version: 1,
    contest: contest.id,
    hotkey,
    model: { url: options.url, sha256: digest.sha256, bytes: digest.bytes },
    ...(options.source !== undefined ? { source: options.source } : {}),
    createdAt: (options.now ?? new Date()).toISOString(),
  };
  const entry = signEntry(unsigned, options.signer);
  const file = join(options.contest.dir, 'entries', `${hotkey}.json`);
  await writeDocument(file, EntrySchema, entry);
  return { file, entry, commitment };
}

function checkUrl(url: string, source: string | undefined): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EntryError(`--url ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'file:') {
    throw new EntryError(
      `--url must be https:// (got ${parsed.protocol}); validators download from it`,
    );
  }
  if (source !== undefined && !source.startsWith('https://')) {
    throw new EntryError(`--source must be an https:// URL of a public repository (got ${source})`);
  }
}
