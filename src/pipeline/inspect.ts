/**
 * Static inspection of a pipeline archive, before any graph is loaded: the archive's members
 * (archive.ts), the manifest against the contest (manifest.ts), then every role's graph through
 * the single-graph inspection (src/bench/inspect.ts) with the role's IO signature in place of
 * the baseline's. Only an archive that passed the member rules is written out, into a fresh
 * folder beside the held artifact; the report sums parameters and FLOPs of one generated image
 * (the denoiser counted once per step) and hashes the roles' weight hashes together.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Contest } from '../contest/load.js';
import type { BenchReason } from '../documents/bench.js';
import { inspectModel, type Inspected, type InspectionReport } from '../bench/inspect.js';
import { readArchive, writeMembers } from './archive.js';
import { roleCalls } from './driver.js';
import { checkManifest } from './manifest.js';

/** The contest as the single-graph inspection sees one role: its IO, the per-member cap. */
function roleContest(contest: Contest, role: string): Contest {
  const spec = contest.pipeline!;
  const io = spec.roles.find((r) => r.role === role)!.io;
  return {
    ...contest,
    baseline: { ...contest.baseline, io },
    limits: { ...contest.limits, artifactBytes: spec.archive.memberBytes },
  };
}

function fixedDims(shape: readonly (number | string)[]): number[] | null {
  return shape.every((d) => typeof d === 'number') ? (shape as number[]) : null;
}

/**
 * Inspects the pipeline archive at `path` for `contest`. Returns every refusal (the first
 * archive or manifest rule broken, or each role's inspection reasons, prefixed by the role),
 * the summed report, and what the child loads.
 */
export async function inspectPipeline(path: string, contest: Contest): Promise<Inspected> {
  const spec = contest.pipeline;
  if (!spec)
    return {
      report: null,
      reasons: [{ code: 'not-a-pipeline', message: 'the contest declares no pipeline' }],
    };
  const read = await readArchive(path, spec.archive);
  if ('reason' in read) return { report: null, reasons: [read.reason] };
  const checked = checkManifest(read.members, contest);
  if ('reason' in checked) return { report: null, reasons: [checked.reason] };
  const dir = `${path}.graphs`;
  await writeMembers(dir, read.members);
  const reasons: BenchReason[] = [];
  const reports: [string, InspectionReport][] = [];
  for (const r of spec.roles) {
    const file = checked.manifest.files[r.role]!;
    const feedDims = Object.fromEntries(
      r.io.inputs.flatMap((i) => {
        const dims = fixedDims(i.shape);
        return dims ? [[i.name, dims] as const] : [];
      }),
    );
    const one = await inspectModel(join(dir, file), roleContest(contest, r.role), feedDims);
    for (const x of one.reasons)
      reasons.push({ code: x.code, message: `role ${r.role} (${file}): ${x.message}` });
    if (one.report) reports.push([r.role, one.report]);
  }
  if (reports.length < spec.roles.length) return { report: null, reasons };
  if (spec.driver !== 'latent-ddim') {
    const why = `driver ${spec.driver} is declared by the contest but not implemented by this podium (docs/pipelines.md)`;
    return { report: null, reasons: [...reasons, { code: 'driver-not-available', message: why }] };
  }
  const calls = roleCalls(spec.driver, checked.manifest.knobs);
  const report = summed(reports, calls, contest);
  return {
    report,
    reasons,
    pipeline: {
      driver: 'latent-ddim',
      files: Object.fromEntries(
        spec.roles.map((r) => [r.role, join(dir, checked.manifest.files[r.role]!)]),
      ),
      knobs: checked.manifest.knobs,
      imageSide: spec.imageSide,
    },
  };
}

function summed(
  reports: readonly [string, InspectionReport][],
  calls: (role: string) => number,
  contest: Contest,
): InspectionReport {
  const ops: Record<string, number> = {};
  let parameters = 0;
  let flops: number | null = 0;
  const hash = createHash('sha256');
  let hashed = true;
  for (const [role, r] of reports) {
    for (const [k, v] of Object.entries(r.ops)) ops[k] = (ops[k] ?? 0) + v;
    parameters += r.parameters ?? 0;
    flops = flops === null || r.flops === null ? null : flops + r.flops * calls(role);
    if (r.weightsSha256 === null) hashed = false;
    else hash.update(`${role}:${r.weightsSha256}\n`);
  }
  const first = reports[0]![1];
  return {
    opset: first.opset,
    ops,
    parameters,
    flops,
    unknownOperators: [...new Set(reports.flatMap(([, r]) => r.unknownOperators))],
    weightsSha256: hashed ? hash.digest('hex') : null,
    inputs: contest.baseline.io.inputs.map((s) => ({
      name: s.name,
      elementType: s.elementType,
      shape: [...s.shape],
    })),
    outputs: contest.baseline.io.outputs.map((s) => ({
      name: s.name,
      elementType: s.elementType,
      shape: [...s.shape],
    })),
  };
}
