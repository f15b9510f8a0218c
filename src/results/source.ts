/**
 * Where the checks of `podium verify` read a contest's results folder from: the file system
 * (`nodeSource`, src/results/node-source.ts) or the results site's copy over HTTP in a browser
 * (src/site/browser/fetch-source.ts). The checks (src/results/checks.ts) read and hash only
 * through this interface, so the CLI and the page run the same code.
 */

/** A contest's results folder, read-only. Paths are "/"-separated and relative to the folder. */
export interface ResultsSource {
  /** The contest id: the folder's name. */
  readonly contest: string;
  /** How the path `rel` is written in messages (the CLI: the path on disk). */
  shown(rel: string): string;
  /** The bytes of the file at `rel`; null when there is no such file. */
  read(rel: string): Promise<Uint8Array | null>;
  /** Every file under the folder `rel` (a round folder), as sorted relative paths; [] when absent. */
  filesUnder(rel: string): Promise<string[]>;
  /** The names of the folders directly inside the results folder. */
  folders(): Promise<string[]>;
  /** Every file of the results folder, at any depth, as sorted relative paths. */
  allFiles(): Promise<string[]>;
  /** Lower-case hex sha256 of `data`. */
  sha256(data: Uint8Array): Promise<string>;
}

const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });
const ENCODER = new TextEncoder();

/** `bytes` as UTF-8 text, byte order mark kept (as node's readFile(…, 'utf8') does). */
export function utf8Text(bytes: Uint8Array): string {
  return DECODER.decode(bytes);
}

/** The UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** Reads the file at `rel` as text; null when absent. */
export async function readText(source: ResultsSource, rel: string): Promise<string | null> {
  const bytes = await source.read(rel);
  return bytes === null ? null : utf8Text(bytes);
}
