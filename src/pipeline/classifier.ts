/**
 * The pipeline contest's classifier, the CLIP stand-in: a pinned artifact of the contest
 * (fetched and hash-checked like any artifact), loaded once per process in the parent — never
 * in a submission's sandbox, so no submission can influence its scores.
 */
import type { LoadedContest } from '../contest/load.js';
import { fetchArtifact } from '../bench/download.js';
import { loadClassifier, type Classifier } from './local.js';

const loaded = new Map<string, Promise<Classifier>>();

/** The contest's classifier session (cached by sha256). Throws ModelRejection on a bad artifact. */
export function classifierFor(contest: LoadedContest): Promise<Classifier> {
  const ref = contest.contest.pipeline!.fidelity.classifier.model;
  let session = loaded.get(ref.sha256);
  if (!session) {
    session = fetchArtifact(ref, { maxBytes: ref.bytes, baseDir: contest.dir }).then(
      loadClassifier,
    );
    session.catch(() => loaded.delete(ref.sha256));
    loaded.set(ref.sha256, session);
  }
  return session;
}
