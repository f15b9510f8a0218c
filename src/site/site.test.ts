/**
 * The results site in a real headless Chromium (@sparticuz/chromium + puppeteer-core, one
 * browser for the file): every page kind renders, "verify" runs verify's checks in the page and
 * turns green on an untouched folder and red with the reason on tampered ones, the page asks
 * nothing of another origin, axe-core finds no serious violation, and screenshots of each page
 * kind land in .cache/site-screenshots/.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../json/canonical.js';
import { readIndex } from '../results/index.js';
import { signEntry } from '../results/sign.js';
import { devKeyPair } from '../results/testing.js';
import { DEV_HOTKEYS } from '../score/testing.js';
import { REPO_ROOT } from '../version.js';
import { buildSite } from './build.js';
import { serveSite, type SiteServer } from './serve.js';
import { launchBrowser, writeResultsFixture, type ResultsFixture } from './testing.js';
import type { VerifyRun } from './browser/main.js';

/** Where the screenshots of each page kind are written. */
export const SCREENSHOTS = join(REPO_ROOT, '.cache', 'site-screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let root: string;
let fixture: ResultsFixture;
let browser: Browser;
const servers: SiteServer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'podium-site-'));
  fixture = await writeResultsFixture(root, { rounds: 3, submissions: 3 });
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  await rm(root, { recursive: true, force: true });
});

/** Builds the site of `results` into a fresh folder and serves it. */
async function site(results: string, name: string): Promise<SiteServer & { out: string }> {
  const out = join(root, `site-${name}`);
  await buildSite([results], out, {
    contestsRoot: fixture.contests,
    validator: (await devKeyPair('Alice')).address, // as the record job binds it
    now: new Date('2025-03-02T00:00:00Z'),
  });
  const server = await serveSite(out);
  servers.push(server);
  return { ...server, out };
}

/** A copy of the fixture's results folder, edited by `edit`. */
async function tampered(name: string, edit: (results: string) => Promise<void>): Promise<string> {
  const results = join(root, name, 'results', 'score-test');
  await cp(fixture.results, results, { recursive: true });
  await edit(results);
  return results;
}

/** Opens `url` with every request outside `origin` aborted and recorded. */
async function open(url: string, origin: string): Promise<{ page: Page; outside: string[] }> {
  const page = await browser.newPage();
  const outside: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url().startsWith(origin) || r.url().startsWith('data:')) void r.continue();
    else {
      outside.push(r.url());
      void r.abort();
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, outside };
}

/** Presses "verify" (clicks, or Tab-focuses and presses Enter) and waits for the page's verdict. */
async function verify(
  page: Page,
  keyboard = false,
): Promise<{ run: VerifyRun; status: string; state: string }> {
  if (keyboard) {
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'verify-run')) break;
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('verify-run');
    await page.keyboard.press('Enter');
  } else await page.click('#verify-run');
  await page.waitForFunction(() => document.body.dataset.verified !== undefined, {
    timeout: 120_000,
  });
  return page.evaluate(() => ({
    run: window.podiumVerify!,
    status: document.getElementById('verify-status')?.textContent ?? '',
    state: document.body.dataset.verified ?? '',
  }));
}

describe('the results site in a browser', () => {
  it('renders every page kind, verifies green on the untouched folder, asks nothing of another origin, and passes axe', async () => {
    const s = await site(fixture.results, 'clean');
    const [first, , last] = fixture.rounds;
    const pages: [string, string, RegExp][] = [
      ['contests', '', /Scoring test contest/],
      ['contest', 'score-test/', /Leaderboard, round 2025-03-03/],
      ['round', `score-test/${last}/`, /Submission set frozen at the cutoff/],
      ['miner', `miners/${DEV_HOTKEYS.bob}/`, new RegExp(`Rounds of ${DEV_HOTKEYS.bob}`)],
    ];
    for (const [kind, path, content] of pages) {
      const { page, outside } = await open(s.url + path, s.url);
      expect(await page.$eval('main', (m) => m.textContent)).toMatch(content);
      const { run, status, state } = await verify(page);
      expect({ kind, state, error: run.error }).toEqual({ kind, state: 'ok', error: null });
      expect(status).toMatch(/✓ All 3 round\(s\) verified in this browser/);
      expect(run.reports[0]?.rounds.map((r) => [r.round, r.status, r.score])).toEqual(
        fixture.rounds.map((r) => [r, 'ok', 'passed']),
      );
      if (kind === 'contest') {
        expect(await page.$eval(`[data-verify="score-test/${first}"]`, (e) => e.textContent)).toBe(
          '✓ verified',
        );
      }
      expect(outside).toEqual([]);
      await page.setViewport({ width: 390, height: 844 });
      await page.screenshot({ path: join(SCREENSHOTS, `${kind}-phone.png`), fullPage: true });
      await page.setViewport({ width: 1200, height: 900 });
      await page.screenshot({ path: join(SCREENSHOTS, `${kind}.png`), fullPage: true });
      await page.setBypassCSP(true);
      await page.reload({ waitUntil: 'load' });
      await page.addScriptTag({ path: AXE });
      const serious = await page.evaluate(async () => {
        type Rule = { id: string; impact: string | null; nodes: unknown[] };
        const axe = (
          window as unknown as { axe: { run(): Promise<{ violations: Rule[]; passes: Rule[] }> } }
        ).axe;
        const result = await axe.run();
        return {
          passed: result.passes.length,
          serious: result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.nodes.length})`),
        };
      });
      expect(serious.passed).toBeGreaterThan(10); // axe did run its rules on the page
      expect({ kind, serious: serious.serious }).toEqual({ kind, serious: [] });
      await page.close();
    }
  });

  it('shows the tables without JavaScript', async () => {
    const s = await site(fixture.results, 'nojs');
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.goto(`${s.url}score-test/`, { waitUntil: 'load' });
    const text = await page.$eval('main', (m) => m.textContent ?? '');
    expect(text).toContain('Leaderboard, round 2025-03-03');
    expect(text).toMatch(/uid.*rank|rank.*uid/s);
    await page.close();
  });

  it('turns red naming the file when one number of the site copy is changed after the build', async () => {
    const s = await site(fixture.results, 'edited-copy');
    const [, middle] = fixture.rounds;
    const file = join(
      s.out,
      'files',
      'score-test',
      middle!,
      'bench',
      'runner-a',
      `${DEV_HOTKEYS.bob}.json`,
    );
    const text = await readFile(file, 'utf8');
    const edited = text.replace(
      /"ms": \[\n(\s+)([0-9.]+)/,
      (_m, space: string, v: string) => `"ms": [\n${space}${Number(v) + 0.5}`,
    );
    expect(edited).not.toBe(text);
    await writeFile(file, edited);
    const { page } = await open(`${s.url}score-test/`, s.url);
    const { run, status, state } = await verify(page);
    expect(state).toBe('fail');
    expect(status).toMatch(/✗ Verification failed: 1 of 3 round\(s\) failed/);
    const bad = run.reports[0]!.rounds.find((r) => r.round === middle)!;
    expect(bad.status).toBe('fail');
    expect(bad.problems.join('\n')).toMatch(
      new RegExp(
        `results/score-test/${middle}/bench/runner-a/${DEV_HOTKEYS.bob}\\.json: sha256 is [0-9a-f]{64}, the index records [0-9a-f]{64}`,
      ),
    );
    expect(await page.$eval(`[data-verify="score-test/${middle}"]`, (e) => e.textContent)).toBe(
      '✗ failed',
    );
    await page.close();
  });

  it('turns red when the last entry of the index is re-signed by another key (run from the keyboard)', async () => {
    const bob = await devKeyPair('Bob');
    const results = await tampered('resigned', async (dir) => {
      const index = await readIndex(dir);
      const last = index.entries.at(-1)!;
      index.entries[index.entries.length - 1] = signEntry(
        { ...last, contest: index.contest },
        bob,
      ).entry;
      await writeFile(join(dir, 'index.json'), canonicalJson(index));
    });
    const s = await site(results, 'resigned');
    const { page } = await open(`${s.url}score-test/`, s.url);
    const { run, state } = await verify(page, true); // from the keyboard alone
    expect(state).toBe('fail');
    const alice = (await devKeyPair('Alice')).address;
    expect(run.reports[0]!.rounds.at(-1)!.problems).toContain(
      `results/score-test/index.json: /entries/2/signature/signer is ${bob.address}, expected the validator ${alice} ` +
        '(the site listing (podium site --validator)): the entry was signed by another key',
    );
    await page.close();
  });

  it('turns red when an entry is dropped from the index', async () => {
    const results = await tampered('dropped', async (dir) => {
      const index = await readIndex(dir);
      index.entries.splice(1, 1);
      await writeFile(join(dir, 'index.json'), canonicalJson(index));
    });
    const s = await site(results, 'dropped');
    const { page } = await open(`${s.url}score-test/?verify`, s.url);
    await page.waitForFunction(() => document.body.dataset.verified !== undefined, {
      timeout: 120_000,
    });
    const run = await page.evaluate(() => window.podiumVerify!);
    const text = run.reports[0]!.rounds.flatMap((r) => r.problems).join('\n');
    expect(text).toMatch(
      /\/entries\/1\/previous is [0-9a-f]{64}, expected the hash of entry 0 \(round 2025-03-01\)/,
    );
    expect(text).toContain(
      `results/score-test/${fixture.rounds[1]}: not in index.json but older than the last indexed round ${fixture.rounds[2]}`,
    );
    await page.close();
  });

  it('turns red naming README.md when the leaderboard of the site copy is edited', async () => {
    const s = await site(fixture.results, 'edited-readme');
    const readme = join(s.out, 'files', 'score-test', 'README.md');
    const text = await readFile(readme, 'utf8');
    const edited = text.replace(/\| 2025-03-03 \|/, '| 2025-03-03 (record) |');
    expect(edited).not.toBe(text);
    await writeFile(readme, edited);
    const { page } = await open(`${s.url}score-test/?verify`, s.url);
    await page.waitForFunction(() => document.body.dataset.verified !== undefined, {
      timeout: 120_000,
    });
    const run = await page.evaluate(() => window.podiumVerify!);
    expect(run.reports[0]!.ok).toBe(false);
    expect(run.reports[0]!.problems).toContainEqual(
      expect.stringMatching(
        /^results\/score-test\/README\.md: differs from the README\.md that `podium leaderboard` derives from the indexed rounds \(line \d+ is ".*\(record\)/,
      ),
    );
    await page.close();
  });
});
