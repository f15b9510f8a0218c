/**
 * The site's listing of one contest's results folder, `data/<contest>.json`: which files each
 * folder holds as committed (a browser cannot list folders), the validator the site binds
 * signatures to when the operator named one, and the contest files the rounds froze. It is
 * not part of the audit log: the verifier trusts the index for which files must be there and
 * uses the listing only to find the files that should not be.
 */

/** The listing of one contest's results folder. */
export interface SiteListing {
  readonly contest: string;
  /** `podium site --validator`, else null: entries must then all be by the first entry's signer. */
  readonly validator: string | null;
  /** The files directly in the results folder (index.json, the leaderboard…), sorted. */
  readonly files: readonly string[];
  /** Rounds the site was built while they were being written (`podium site --pending`). */
  readonly pending: readonly string[];
  /** Every folder of the results folder → its files, "/"-separated relative paths, sorted. */
  readonly folders: Readonly<Record<string, readonly string[]>>;
  /** sha256 of each contest file the site holds a copy of (files/contests/<id>/<sha256>.json). */
  readonly contestFiles: readonly string[];
}

/** Where the site keeps things, relative to its root. */
export const SITE_PATHS = {
  listing: (contest: string) => `data/${contest}.json`,
  files: (contest: string) => `files/${contest}/`,
  contestFile: (contest: string, sha256: string) => `files/contests/${contest}/${sha256}.json`,
  script: 'assets/verify.js',
  style: 'assets/site.css',
} as const;
