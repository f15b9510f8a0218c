/** The file-system ResultsSource: `results/<contest>/` on disk, hashed with node:crypto. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listRoundFiles } from './files.js';
import { contestOf } from './index.js';
import type { ResultsSource } from './source.js';

/**
 * Returns the source reading `resultsDir`; paths in messages are `join(resultsDir, rel)`.
 * Its reads throw only for I/O errors other than a missing file.
 */
export function nodeSource(resultsDir: string): ResultsSource {
  const at = (rel: string) => (rel === '' ? resultsDir : join(resultsDir, ...rel.split('/')));
  return {
    contest: contestOf(resultsDir),
    shown: at,
    async read(rel) {
      return readFile(at(rel)).then(
        (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return null;
          throw err;
        },
      );
    },
    filesUnder: (rel) => listRoundFiles(at(rel)),
    async folders() {
      const entries = await readdir(resultsDir, { withFileTypes: true });
      return entries.filter((d) => d.isDirectory()).map((d) => d.name);
    },
    allFiles: () => listRoundFiles(resultsDir),
    sha256: async (data) => createHash('sha256').update(data).digest('hex'),
  };
}
