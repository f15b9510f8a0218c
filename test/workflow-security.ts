/**
 * Security rules over the workflow files that complement src/github/workflow-rules.ts (schema,
 * permissions declared, SHA pins, PR events off self-hosted runners, PR head never checked out,
 * PR text never in scripts): here, what each job may hold.
 *
 * - workflow-permissions: the workflow-level default is declared and grants no write
 * - job-permissions-table: the round and weights jobs hold exactly the permissions listed below
 * - write-with-secret: no job holds both a write permission and a secret or an environment
 *   (except the Pages deploy job: pages and id-token only, environment github-pages, one step)
 * - secret-scope: `secrets.*` only in jobs with `environment: chain`, and only in step `env`;
 *   never `secrets: inherit`, never workflow- or job-level env
 * - self-hosted-trigger: a workflow with a self-hosted job runs only on schedule or dispatch,
 *   and the job itself requires a dispatch
 * - verified-pin: third-party actions use a verified SHA with its version comment
 * - run-expression: no `${{ … }}` pasted into any run script (pass values through env)
 * - no-cancel: round and weights runs queue, never cancel one another
 * - artifact-before-push: the commit job uploads the round before it pushes
 */
import { parse, parseDocument, isMap, isPair, isScalar, type Node } from 'yaml';

type Json = Record<string, unknown>;

/** One violation: rule, where, and what. */
export interface Violation {
  readonly rule: string;
  readonly where: string;
  readonly message: string;
}

/** The SHAs verified for this repository (tag → commit read from the action's own repository). */
export const VERIFIED_PINS: Readonly<Record<string, { sha: string; version: string }>> = {
  'actions/checkout': { sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  'actions/setup-node': { sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  'actions/upload-artifact': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  'actions/download-artifact': {
    sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093',
    version: 'v4.3.0',
  },
  'actions/upload-pages-artifact': {
    sha: '7b1f4a764d45c48632c6b24a0339c27f5614fb0b',
    version: 'v4.0.0',
  },
  'actions/deploy-pages': { sha: 'd6db90164ac5ed86f2b6aed7e0febac5b3c0c03e', version: 'v4.0.5' },
};

/**
 * The one environment a write permission may come with: GitHub Pages' own, for a job that only
 * deploys (pages: write and an OIDC token, no repository write, no secret, one deploy-pages step).
 */
function pagesDeployOnly(body: Json, usesSecret: boolean): boolean {
  const env = isObject(body.environment) ? body.environment.name : body.environment;
  const steps = Array.isArray(body.steps) ? (body.steps as Json[]) : [];
  return (
    env === 'github-pages' &&
    !usesSecret &&
    JSON.stringify(body.permissions) === JSON.stringify({ pages: 'write', 'id-token': 'write' }) &&
    steps.length === 1 &&
    String(steps[0]?.uses).startsWith('actions/deploy-pages@')
  );
}

/** Exact permissions of every job of the round and weights workflows. */
export const JOB_PERMISSIONS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  'round.yml': {
    plan: { contents: 'read', actions: 'write' },
    collect: { contents: 'read' },
    benchmark: { contents: 'read' },
    score: { contents: 'read' },
    commit: { contents: 'write' },
    publish: { contents: 'read' },
    record: { contents: 'write' },
    pages: { pages: 'write', 'id-token': 'write' },
  },
  'weights.yml': { publish: { contents: 'read' }, record: { contents: 'write' } },
};

const SECRET = /\$\{\{[^}]*\bsecrets\.(?!GITHUB_TOKEN\b)/;
const EXPRESSION = /\$\{\{/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function triggers(doc: Json): string[] {
  const on = doc.on ?? doc.true;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return isObject(on) ? Object.keys(on) : [];
}

function grantsWrite(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return isObject(permissions) && Object.values(permissions).includes('write');
}

function selfHosted(runsOn: unknown): boolean {
  const labels = Array.isArray(runsOn) ? runsOn.map(String) : [JSON.stringify(runsOn)];
  return labels.some((l) => l.includes('self-hosted'));
}

/** Violations in the workflow `name` (its file name) whose text is `text`. */
export function workflowViolations(name: string, text: string): Violation[] {
  const doc = parse(text) as Json;
  const out: Violation[] = [];
  const add = (rule: string, where: string, message: string) =>
    out.push({ rule, where: `${name} ${where}`.trim(), message });
  if (!isObject(doc.permissions) || grantsWrite(doc.permissions)) {
    add(
      'workflow-permissions',
      'permissions',
      'the workflow default must be declared, without write',
    );
  }
  if (isObject(doc.env) && SECRET.test(JSON.stringify(doc.env))) {
    add('secret-scope', 'env', 'a secret in workflow-level env reaches every job');
  }
  const jobs = isObject(doc.jobs) ? doc.jobs : {};
  const anySelfHosted = Object.values(jobs).some((j) => isObject(j) && selfHosted(j['runs-on']));
  const allowed = ['schedule', 'workflow_dispatch'];
  const extra = triggers(doc).filter((t) => !allowed.includes(t));
  if (anySelfHosted && extra.length > 0) {
    add('self-hosted-trigger', 'on', `has a self-hosted job but also runs on ${extra.join(', ')}`);
  }
  for (const [job, body] of Object.entries(jobs)) {
    if (isObject(body)) jobViolations(name, job, body, add);
  }
  if (isObject(doc.concurrency) && doc.concurrency['cancel-in-progress'] !== false) {
    if (name in JOB_PERMISSIONS)
      add('no-cancel', 'concurrency', 'must set cancel-in-progress: false');
  }
  out.push(...pinViolations(name, text));
  return out;
}

type Add = (rule: string, where: string, message: string) => void;

function jobViolations(file: string, job: string, body: Json, add: Add): void {
  const where = `jobs.${job}`;
  const expected = JOB_PERMISSIONS[file]?.[job];
  if (file in JOB_PERMISSIONS && JSON.stringify(body.permissions) !== JSON.stringify(expected)) {
    add(
      'job-permissions-table',
      where,
      `permissions ${JSON.stringify(body.permissions)}, expected ${JSON.stringify(expected ?? 'no such job')}`,
    );
  }
  const steps = Array.isArray(body.steps) ? (body.steps as Json[]) : [];
  const usesSecret = steps.some((s) => SECRET.test(JSON.stringify(s)));
  if (
    grantsWrite(body.permissions) &&
    (usesSecret || 'environment' in body) &&
    !pagesDeployOnly(body, usesSecret)
  ) {
    add(
      'write-with-secret',
      where,
      'holds a write permission together with a secret or an environment',
    );
  }
  if (body.secrets === 'inherit' || SECRET.test(JSON.stringify(body.env ?? {}))) {
    add('secret-scope', where, 'passes secrets to the whole job (secrets: inherit or job env)');
  }
  steps.forEach((step, i) => stepViolations(`${where}.steps[${i}]`, step, body, add));
  if (
    selfHosted(body['runs-on']) &&
    !/github\.event_name == 'workflow_dispatch'/.test(String(body.if))
  ) {
    add(
      'self-hosted-trigger',
      where,
      "self-hosted job must require github.event_name == 'workflow_dispatch'",
    );
  }
  if (file === 'round.yml' && job === 'commit') {
    const upload = steps.findIndex((s) => String(s.uses).startsWith('actions/upload-artifact@'));
    const push = steps.findIndex((s) => s.uses === './actions/commit');
    if (push < 0 || upload < 0 || upload > push) {
      add('artifact-before-push', where, 'must upload the round as an artifact before pushing it');
    }
  }
}

function stepViolations(where: string, step: Json, job: Json, add: Add): void {
  if (SECRET.test(JSON.stringify({ ...step, env: undefined }))) {
    add('secret-scope', where, 'uses a secret outside the step env');
  }
  if (SECRET.test(JSON.stringify(step.env ?? {})) && job.environment !== 'chain') {
    add('secret-scope', where, 'uses a secret in a job without environment: chain');
  }
  if (typeof step.run === 'string' && EXPRESSION.test(step.run)) {
    add('run-expression', where, 'pastes an expression into a script; use env');
  }
}

/** Third-party `uses:` must pin a verified SHA and carry its version as a comment. */
function pinViolations(file: string, text: string): Violation[] {
  const out: Violation[] = [];
  const visit = (node: Node | null | undefined, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const value = pair.value as Node | null;
        if (key === 'uses' && isScalar(value)) out.push(...checkPin(file, path, value));
        else visit(value, `${path}.${key}`);
      }
    } else if (node && 'items' in node && Array.isArray(node.items)) {
      node.items.forEach((item, i) => visit(item as Node, `${path}[${i}]`));
    }
  };
  visit(parseDocument(text).contents, '');
  return out;
}

function checkPin(
  file: string,
  path: string,
  node: Node & { value?: unknown; comment?: string | null },
): Violation[] {
  const uses = String(node.value);
  if (uses.startsWith('./')) return [];
  const [action, ref] = uses.split('@');
  const pin = VERIFIED_PINS[action ?? ''];
  const comment = (node.comment ?? '').trim();
  if (pin && ref === pin.sha && comment === pin.version) return [];
  return [
    {
      rule: 'verified-pin',
      where: `${file} ${path.slice(1)}`,
      message: pin
        ? `${uses} # ${comment}: expected ${action}@${pin.sha} # ${pin.version}`
        : `${action} is not a verified action (add its tag → SHA to VERIFIED_PINS after checking it)`,
    },
  ];
}

/** Violations in a composite action: no expression in run scripts, verified pins. */
export function actionViolations(file: string, text: string): Violation[] {
  const doc = parse(text) as Json;
  const runs = isObject(doc.runs) ? doc.runs : {};
  const steps = Array.isArray(runs.steps) ? (runs.steps as Json[]) : [];
  const out: Violation[] = [];
  steps.forEach((step, i) => {
    if (typeof step.run === 'string' && EXPRESSION.test(step.run)) {
      out.push({
        rule: 'run-expression',
        where: `${file} runs.steps[${i}]`,
        message: 'pastes an expression into a script; pass inputs as INPUT_* env',
      });
    }
  });
  return [...out, ...pinViolations(file, text)];
}
