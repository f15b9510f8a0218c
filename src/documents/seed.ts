/**
 * The round seed (docs/adr/0062-round-seed.md): `"0x" + sha256(utf8(roundSeedText(…)))`, fixed
 * by the chain at the cutoff. Only the text lives here, so that collect (node:crypto) and
 * verify (any ResultsSource's sha256, WebCrypto in the browser) hash the very same bytes.
 */

/** The text whose sha256 is the seed of `round` of `contest` cut off at block `blockHash`. */
export function roundSeedText(contest: string, round: string, blockHash: string): string {
  return `podium-seed/1:${contest}:${round}:${blockHash}`;
}
