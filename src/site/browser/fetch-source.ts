/// <reference lib="dom" />
/**
 * The browser's ResultsSource: the results site's copy of `results/<contest>/` fetched from the
 * site's own origin, hashed with WebCrypto. A browser cannot list folders, so the site's
 * listing (written by `podium site` from the folder as committed) says which files each folder
 * holds; the index, not the listing, says which files there must be.
 */
import type { ResultsSource } from '../../results/source.js';
import type { SiteListing } from '../listing.js';

/** Returns the source reading the copy under `base` (a URL ending in "/") of `listing`'s contest. */
export function fetchSource(base: string, listing: SiteListing): ResultsSource {
  // The score re-run reads the files the hash check just read: keep the last few hundred.
  const recent = new Map<string, Promise<Uint8Array | null>>();
  const fetchBytes = async (rel: string): Promise<Uint8Array | null> => {
    const response = await fetch(new URL(rel, base), { cache: 'no-store' });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${rel}: HTTP ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    contest: listing.contest,
    shown: (rel) => `results/${listing.contest}${rel === '' ? '' : `/${rel}`}`,
    read(rel) {
      const hit = recent.get(rel);
      if (hit) return hit;
      if (recent.size >= 512) recent.delete(recent.keys().next().value as string);
      const pending = fetchBytes(rel);
      recent.set(rel, pending);
      return pending;
    },
    filesUnder: async (rel) => [...(listing.folders[rel] ?? [])],
    folders: async () => Object.keys(listing.folders),
    allFiles: async () =>
      [
        ...listing.files,
        ...Object.entries(listing.folders).flatMap(([d, fs]) => fs.map((f) => `${d}/${f}`)),
      ].sort(),
    async sha256(data) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
      return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    },
  };
}

/** Fetches a JSON file of the site; throws naming the URL when it cannot. */
export async function fetchJson<T>(url: URL): Promise<T> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
