// A small end-to-end harness: serves the built site on loopback, drives Debian's Chromium with playwright-core,
// runs each test in a fresh page, and fails a test on any console error or uncaught page error.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.csv': 'text/csv', '.svg': 'image/svg+xml',
};

export const OUTPUT = resolve('tests/output/e2e');

/** Serves `root` on 127.0.0.1 at a free port; resolves to { url, close }. */
export function serve(root) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) { response.writeHead(403).end(); return; }
    try { if (statSync(file).isDirectory()) file = join(file, 'index.html'); } catch { /* 404 below */ }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((done) => server.close(done)),
  })));
}

/** Runs `tests` ({ name, run(page, ctx) }) and prints `e2e: N passed, M failed`; exits 1 on any failure. */
export async function runAll(tests) {
  const dist = resolve(process.env.SPINE_DIST ?? 'dist');
  const site = await serve(dist);
  mkdirSync(OUTPUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.SPINE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // Playwright gives every launch a fresh, empty profile folder of its own.
  });
  let passed = 0;
  let failed = 0;
  const only = process.env.SPINE_E2E_ONLY;
  for (const test of tests) {
    if (only && !test.name.includes(only)) continue;
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const problems = [];
    const requests = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    const started = Date.now();
    try {
      await test.run(page, { url: site.url, requests, output: OUTPUT });
      if (problems.length) throw new Error(problems.join('\n'));
      const foreign = requests.filter((u) => !u.startsWith(site.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
      if (foreign.length) throw new Error(`requests left the page's origin: ${foreign.join(', ')}`);
      passed += 1;
      console.log(`ok   ${test.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${test.name}\n${String(error?.stack ?? error).split('\n').map((l) => `     ${l}`).join('\n')}`);
      await page.screenshot({ path: join(OUTPUT, `FAILED-${test.name.replace(/\W+/g, '_')}.png`) }).catch(() => {});
    }
    await context.close();
  }
  await browser.close();
  await site.close();
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

/** Throws unless `condition`, with `message`. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}
