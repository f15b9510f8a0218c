/**
 * In-browser verification time of the results site: builds a results folder of R rounds × N
 * submissions from real components (scoring, signing; src/site/testing.ts), builds its site,
 * serves it on 127.0.0.1 and times "verify" in headless Chromium (hashes, chain, signatures and
 * the score re-run of every round), next to `podium verify` on the same folder in node, in the
 * same run. Then the same for the demo's results (`npm run demo` first) and the demo site's size.
 * Usage:
 *   npx tsx bench/site.ts [--rounds 100] [--submissions 50] [--demo .cache/demo/workspace]
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'puppeteer-core';
import { isResultsDir } from '../src/leaderboard/write.js';
import { scoreRerun, verifyResults } from '../src/results/verify.js';
import type { VerifyRun } from '../src/site/browser/main.js';
import { buildSite } from '../src/site/build.js';
import { serveSite } from '../src/site/serve.js';
import { launchBrowser, writeResultsFixture } from '../src/site/testing.js';
import { REPO_ROOT } from '../src/version.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '100' },
    submissions: { type: 'string', default: '50' },
    demo: { type: 'string', default: join(REPO_ROOT, '.cache', 'demo', 'workspace') },
  },
});

/** Builds and serves the site of `dirs`, times verify in the page; returns ms and the verdict. */
async function browserVerify(browser: Browser, dirs: string[], contests: string, out: string) {
  const t0 = performance.now();
  const built = await buildSite(dirs, out, { contestsRoot: contests });
  const buildMs = performance.now() - t0;
  const server = await serveSite(out);
  try {
    const page = await browser.newPage();
    const id = built.contests[0]!.id;
    await page.goto(`${server.url}${dirs.length === 1 ? `${id}/` : ''}?verify`, {
      waitUntil: 'load',
    });
    await page.waitForFunction(() => document.body.dataset.verified !== undefined, {
      timeout: 0,
      polling: 1000,
    });
    const run = await page.evaluate(() => window.podiumVerify as VerifyRun);
    await page.close();
    const rounds = run.reports.reduce((n, r) => n + r.rounds.length, 0);
    const ok = run.reports.every((r) => r.ok) && run.error === null;
    const passed = run.reports.flatMap((r) => r.rounds).filter((r) => r.score === 'passed').length;
    return {
      ms: run.ms,
      ok,
      rounds,
      passed,
      buildMs,
      bytes: built.bytes,
      pages: built.pages.length,
    };
  } finally {
    await server.close();
  }
}

const root = await mkdtemp(join(os.tmpdir(), 'podium-bench-site-'));
const browser = await launchBrowser({ protocolTimeout: 0 });
try {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const rounds = Number(values.rounds);
  const submissions = Number(values.submissions);
  const t0 = performance.now();
  const fx = await writeResultsFixture(root, { rounds, submissions });
  console.log(
    `generated ${rounds} rounds × ${submissions} submissions in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const t1 = performance.now();
  const node = await verifyResults(fx.results, { scoreCheck: scoreRerun(fx.contests) });
  const nodeMs = performance.now() - t1;
  console.log(`podium verify in node: ${(nodeMs / 1000).toFixed(2)} s, ok=${node.ok}`);
  const b = await browserVerify(browser, [fx.results], fx.contests, join(root, 'site'));
  console.log(
    `${rounds}×${submissions}: browser verify ${(b.ms / 1000).toFixed(2)} s (${b.rounds} rounds, ${b.passed} score re-runs passed, ok=${b.ok}); ` +
      `podium verify in node ${(nodeMs / 1000).toFixed(2)} s (ok=${node.ok}); browser/node ${(b.ms / nodeMs).toFixed(2)}; ` +
      `site ${b.pages} pages, ${(b.bytes / 2 ** 20).toFixed(1)} MiB, built in ${(b.buildMs / 1000).toFixed(1)} s`,
  );
  const demoResults = join(values.demo, 'results');
  const dirs: string[] = [];
  for (const name of await readdir(demoResults).catch(() => [])) {
    if (await isResultsDir(join(demoResults, name))) dirs.push(join(demoResults, name));
  }
  if (dirs.length === 0 || !(await stat(join(values.demo, 'contests')).catch(() => null))) {
    console.log(`demo: no results under ${demoResults}; run npm run demo first`);
  } else {
    const d = await browserVerify(
      browser,
      dirs,
      join(values.demo, 'contests'),
      join(root, 'demo-site'),
    );
    console.log(
      `demo (${dirs.length} contest(s), ${d.rounds} round(s)): browser verify ${(d.ms / 1000).toFixed(2)} s, ok=${d.ok}, ` +
        `${d.passed} score re-run(s) passed; site ${d.pages} pages, ${d.bytes} bytes (${(d.bytes / 1024).toFixed(0)} KiB)`,
    );
  }
} finally {
  await browser.close();
  await rm(root, { recursive: true, force: true });
}
