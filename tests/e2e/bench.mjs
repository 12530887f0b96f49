// Studio benchmarks, measured in headless Chromium and reported (never asserted): the size of every file of the
// release site (raw and gzip -9), time to interactive, the worker's time to resolve synthetic sets of 10k and
// 100k records with golden records, and the time from asking for the largest profile's explanation to seeing
// it (on the demo set and on each synthetic set). Run after `trunk build --release`: `node tests/e2e/bench.mjs`
// (SPINE_BENCH_SIZES=10000 for a quick run). The synthetic sets are written by `spine demo --records N`.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve } from './harness.mjs';

const dist = resolve(process.env.SPINE_DIST ?? 'dist');
const out = resolve('tests/output/bench');
const sizes = (process.env.SPINE_BENCH_SIZES ?? '10000,100000').split(',').map(Number);

function spineBin() {
  const candidates = [process.env.SPINE_BIN, process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug/spine'),
    resolve('target/debug/spine'), resolve('target/release/spine')].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no spine binary in ${candidates.join(', ')}`);
  return found;
}

function wasmSizes() {
  const rows = [];
  for (const name of readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f)).sort()) {
    const bytes = readFileSync(join(dist, name));
    rows.push({ file: name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return rows;
}

function synthetic(records) {
  const dir = join(out, String(records));
  if (!existsSync(join(dir, 'graph.json'))) execFileSync(spineBin(), ['demo', '--records', String(records), '--out', dir]);
  return dir;
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

/**
 * Times, inside the page, from a click on `selector` to an element matching `until.selector` (with the text
 * `until.text`, when given) being in the page and painted (two animation frames later), in milliseconds.
 */
async function timeClick(page, selector, until) {
  return page.evaluate(async ({ selector, until }) => {
    const holds = () => [...document.querySelectorAll(until.selector)]
      .some((e) => until.text === undefined || e.textContent === until.text);
    const target = document.querySelector(selector);
    const start = performance.now();
    await new Promise((done) => {
      const observer = new MutationObserver(() => {
        if (holds()) { observer.disconnect(); done(); }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      target.click();
    });
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    return Math.round((performance.now() - start) * 10) / 10;
  }, { selector, until });
}

/**
 * After a run: the largest profile offered on the Run screen is opened on the Profiles screen (its chain of
 * pairs and the refusals around it, the engine's profile explanation), then asked why a record of the second
 * largest profile is not in it (one verdict per rule). Each is timed from the click to the answer on screen.
 */
async function explainTimes(page) {
  const choices = await page.$$eval('#watch-profile option', (options) => options.map((o) => ({
    id: o.value, records: Number((o.textContent.match(/\((\d+) records\)/) ?? [])[1] ?? 0),
  })));
  choices.sort((a, b) => b.records - a.records || a.id.localeCompare(b.id));
  const [largest, other] = choices;
  const open = async (id) => {
    await page.fill('#profile-search', id);
    await page.locator(`.profile-link:text-is("${id}")`).waitFor({ timeout: 60000 });
    return timeClick(page, '.profile-link', { selector: '#profile-title code', text: id });
  };
  await page.click('#nav-profiles');
  await page.locator('#screen-profiles').waitFor();
  // Each profile is opened once: the page keeps what it was sent, so a second opening would not ask the worker.
  const profileMs = await open(largest.id);
  const profileAgainMs = await open(other.id);
  // The other record: the first record of the second largest profile.
  const model = (await page.locator('#profile-panel .record header strong').first().textContent()).trim();
  const key = (await page.locator('#profile-panel .record header code').first().textContent()).trim();
  await open(largest.id);
  await page.selectOption('#profile-panel .why-not select[aria-label="The other record\'s model"]', model);
  await page.fill('#why-not-key', key);
  const whyNotMs = await timeClick(page, '#profile-panel .why-not button[type=submit]',
    { selector: '#why-not-answer, #profile-panel .why-not .error' });
  return { profile: largest.id, records: largest.records, open_ms: profileMs, open_another_ms: profileAgainMs,
    why_not: `${model} ${key}`, why_not_ms: whyNotMs };
}

mkdirSync(out, { recursive: true });
const site = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.SPINE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const results = { sizes: wasmSizes(), interactive_ms: [], runs: [], explain: [] };

// Time to interactive: from navigation to the first screen's button being usable, three fresh loads.
for (let i = 0; i < 3; i += 1) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.url);
  await page.locator('#load-demo:not([disabled])').waitFor();
  results.interactive_ms.push(Math.round(await page.evaluate(() => performance.now())));
  await context.close();
}

// The demo set: the largest demo profile explained.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(site.url);
  await page.click('#load-demo');
  await page.locator('#file-web_events').waitFor({ timeout: 60000 });
  await page.locator('#nav-rules .badge.ok').waitFor({ timeout: 60000 });
  await page.click('#nav-run');
  await page.click('#run');
  await page.locator('#run-timing').waitFor({ timeout: 600000 });
  results.explain.push({ set: 'demo', ...(await explainTimes(page)) });
  await context.close();
}

for (const records of sizes) {
  const dir = synthetic(records);
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(site.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv') && f !== 'truth.csv').map((f) => join(dir, f));
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const uploadStart = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.locator('#file-web_events').waitFor({ timeout: 120000 });
  const loadMs = Date.now() - uploadStart;
  await page.click('#nav-export');
  await page.setInputFiles('#import-graph', join(dir, 'graph.json'));
  await page.locator('#nav-rules .badge.ok').waitFor({ timeout: 60000 });
  await page.click('#nav-run');
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
  const runStart = Date.now();
  await page.click('#run');
  await page.locator('#run-timing').waitFor({ timeout: 600000 });
  const wallMs = Date.now() - runStart;
  const timing = await page.locator('#run-timing').textContent();
  const [, worker, engine] = timing.match(/in (\d+) ms in the worker \((\d+) ms in the engine\)/) ?? [];
  const profiles = (await page.locator('#stat-golden').textContent()).trim();
  const longest = Math.round(await page.evaluate(() => window.__longest));
  results.runs.push({ records, csv_bytes: bytes, load_ms: loadMs, worker_ms: Number(worker), engine_ms: Number(engine),
    wall_ms: wallMs, profiles, longest_main_thread_task_ms: longest });
  results.explain.push({ set: `${records} records`, ...(await explainTimes(page)) });
  await context.close();
}
await browser.close();
await site.close();

console.log('studio bench');
let page = 0; let worker = 0;
for (const row of results.sizes) {
  console.log(`  ${row.file.padEnd(40)} ${String(row.raw).padStart(9)} B raw ${String(row.gzip).padStart(8)} B gzip`);
  if (row.file.startsWith('spine_worker')) worker += row.gzip; else page += row.gzip;
}
console.log(`  page ${kb(page)} gzip + worker ${kb(worker)} gzip = ${kb(page + worker)} gzip (${page + worker} bytes)`);
console.log(`  time to interactive: ${results.interactive_ms.join(', ')} ms`);
for (const run of results.runs) {
  console.log(`  ${run.records} records (${(run.csv_bytes / 1048576).toFixed(1)} MB of CSV): load ${run.load_ms} ms, ` +
    `worker ${run.worker_ms} ms (engine ${run.engine_ms} ms), click to results ${run.wall_ms} ms, ` +
    `${run.profiles} profiles, longest main-thread task ${run.longest_main_thread_task_ms} ms`);
}
for (const e of results.explain) {
  console.log(`  explain, ${e.set}: largest profile ${e.profile} (${e.records} records) shown ${e.open_ms} ms after the ` +
    `click (another profile ${e.open_another_ms} ms); why ${e.why_not} is not in it: ${e.why_not_ms} ms`);
}
writeFileSync(join(out, 'studio.json'), `${JSON.stringify(results, null, 2)}\n`);
