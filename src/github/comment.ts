/**
 * The PR comment: a checklist with ✅/❌/⚠️/⏭️ and the fix under each ❌, found again on the
 * next push by a hidden marker and updated in place. Pure. Text that can come from the PR
 * (paths, field values) is escaped so it cannot add markup, links, images or @mentions; text in
 * backticks becomes a code span.
 */
import type { Check, CheckStatus } from '../entries/checks.js';
import type { ScopeCheck } from './scope.js';

/** The hidden marker that identifies podium's entry-check comment. */
export const COMMENT_MARKER = '<!-- podium:entry-check -->';

/** GitHub's limit on a comment body is 65 536 characters; stay well below it. */
const MAX_BODY = 60_000;

/** One checked entry file. */
export interface FileChecks {
  readonly path: string;
  readonly checks: readonly Check[];
}

/** Everything the comment shows. */
export interface CheckReport {
  readonly headSha: string;
  readonly checkedAt: Date;
  readonly scope: readonly ScopeCheck[];
  readonly files: readonly FileChecks[];
}

/** valid: nothing failed; invalid: something failed. `unchecked` names the skipped checks. */
export interface Verdict {
  readonly valid: boolean;
  readonly failures: number;
  readonly unchecked: readonly string[];
}

const ICON: Record<CheckStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️' };

/** The human title of every check id, as the comment and docs/miner.md show it. */
export const CHECK_TITLES: Readonly<Record<string, string>> = {
  scope: 'only entry files changed',
  'one-per-hotkey': 'one entry per hotkey',
  count: 'entry files in this PR',
  path: 'location',
  size: 'file size',
  schema: 'schema',
  'file-name': 'file name is the hotkey',
  'contest-id': 'contest id matches the folder',
  signature: 'hotkey signature',
  contest: 'contest exists',
  open: 'contest accepts entries now',
  'artifact-size': 'model within the size limit',
  'url-https': 'model URL is https',
  'url-reachable': 'model URL answers with the declared size',
  registration: 'hotkey registered on the subnet',
  commitment: 'on-chain commitment',
};

/** Returns the verdict over every check of the report. */
export function verdictOf(report: CheckReport): Verdict {
  const all = [...report.scope, ...report.files.flatMap((f) => f.checks)];
  const failures = all.filter((c) => c.status === 'fail').length;
  const unchecked = [...new Set(all.filter((c) => c.status === 'skip').map((c) => c.id))];
  return { valid: failures === 0, failures, unchecked };
}

/** Returns the one-line summary used as commit-status description (≤ 140 characters). */
export function summaryLine(verdict: Verdict): string {
  const head = verdict.valid
    ? 'entry valid'
    : `${verdict.failures} problem${verdict.failures === 1 ? '' : 's'}: see the PR comment`;
  const tail = verdict.unchecked.length > 0 ? `; not checked: ${verdict.unchecked.join(', ')}` : '';
  return `${head}${tail}`.slice(0, 140);
}

/** Renders the comment body (marker first). */
export function renderComment(report: CheckReport): string {
  const verdict = verdictOf(report);
  const lines = [
    COMMENT_MARKER,
    `### podium entry check: ${verdict.valid ? '✅' : '❌'} ${escapeMarkdown(summaryLine(verdict))}`,
    '',
    `Commit \`${report.headSha.slice(0, 12)}\`, checked ${report.checkedAt.toISOString()}. ` +
      'This comment is updated on every push.',
    '',
    '**Pull request**',
    ...report.scope.flatMap(renderCheck),
  ];
  for (const file of report.files)
    lines.push('', `**${code(file.path)}**`, ...file.checks.flatMap(renderCheck));
  lines.push(
    '',
    '<sub>✅ passed · ❌ failed (fix below it) · ⚠️ warning, does not block · ⏭️ not checked. ' +
      'See docs/miner.md for the whole procedure.</sub>',
  );
  const body = lines.join('\n') + '\n';
  return body.length <= MAX_BODY ? body : `${body.slice(0, MAX_BODY)}\n\n…(truncated)\n`;
}

function renderCheck(check: Check | ScopeCheck): string[] {
  const title = CHECK_TITLES[check.id] ?? check.id;
  const [first = '', ...more] = check.detail.split('\n');
  const out = [`- ${ICON[check.status]} **${title}**: ${inline(first)}`];
  for (const line of more) out.push(`  - ${inline(line)}`);
  if (check.fix !== undefined && check.status !== 'pass')
    out.push(`  - **fix:** ${inline(check.fix)}`);
  return out;
}

/** Renders text whose backtick-delimited parts become code spans and the rest is escaped. */
export function inline(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? code(part) : escapeMarkdown(part)))
    .join('');
}

/** A code span that holds `text` verbatim (no backticks inside; newlines flattened). */
export function code(text: string): string {
  const clean = text.replaceAll('`', "'").replace(/\s+/g, ' ');
  return `\`${clean}\``;
}

/** Escapes Markdown and HTML syntax, breaks @mentions and autolinks; one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, ':\u200b//');
}
