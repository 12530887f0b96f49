// End-to-end tests of the built studio: each does what a person does, in headless Chromium.
import { check, runAll } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DEMO = resolve('tests/output/demo');
const MODELS = ['crm', 'shop', 'app', 'support'];

/** The `spine` binary built by the native tests (`SPINE_BIN` overrides). */
function spineBin() {
  const candidates = [
    process.env.SPINE_BIN,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug/spine'),
    resolve('target/debug/spine'),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no spine binary in ${candidates.join(', ')}; run the native tests first`);
  return found;
}

/** The demo CSVs as the command line writes them (`spine demo --out tests/output/demo`). */
function demoFiles() {
  if (!existsSync(join(DEMO, 'crm.csv'))) execFileSync(spineBin(), ['demo', '--out', DEMO]);
  return MODELS.map((model) => join(DEMO, `${model}.csv`));
}

/** Starts counting main-thread tasks over 100 ms (long tasks). */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask' });
  });
}

async function longTasks(page) {
  return page.evaluate(() => window.__longTasks.filter((duration) => duration > 100));
}

async function go(page, screen) {
  await page.click(`#nav-${screen}`);
  await page.locator(`#screen-${screen}`).waitFor();
}

async function shot(page, output, name) {
  await page.screenshot({ path: join(output, `${name}.png`), fullPage: true });
}

async function text(page, selector) {
  return (await page.locator(selector).first().textContent()).trim();
}

/** Runs the current graph and waits for its summary; returns the long tasks seen meanwhile. */
async function runAndWait(page) {
  await go(page, 'run');
  await page.locator('#run:not([disabled])').waitFor({ timeout: 20000 });
  await watchLongTasks(page);
  const before = await page.locator('#run-timing').count() ? await text(page, '#run-timing') : '';
  await page.click('#run');
  await page.waitForFunction((previous) => {
    const timing = document.querySelector('#run-timing');
    return timing && timing.textContent !== previous && !document.querySelector('#run-progress');
  }, before, { timeout: 60000 });
  return longTasks(page);
}

/** Loads the built-in demo set with its identity graph. */
async function loadDemo(page) {
  await page.click('#load-demo');
  await page.locator('#file-web_events').waitFor({ timeout: 20000 });
  await page.locator('#nav-graph .badge.ok').waitFor({ timeout: 20000 });
}

const tests = [
  {
    name: 'a person uploads the demo CSVs, maps, adds a rule, runs, reads a golden value, sees the what-if, exports and reloads',
    async run(page, { url, output }) {
      await page.goto(url);
      await page.setInputFiles('#file-input', demoFiles());
      for (const model of MODELS) await page.locator(`#file-${model}`).waitFor({ timeout: 20000 });
      check(await page.inputValue('#key-support') === 'contact_ref', 'the support file gets contact_ref as its suggested key');
      check(await page.inputValue('#order-crm') === 'updated_at', 'the crm file gets updated_at as its suggested order field');
      await page.selectOption('#order-app', 'last_login');
      await shot(page, output, '1-data');

      // Map one column by hand (column, then identifier), then accept the other suggestions.
      await go(page, 'graph');
      await page.click('[data-column="crm.email"]');
      await page.click('[data-identifier="email"]');
      await page.locator('path[aria-label="mapping: crm.email to identifier email"]').waitFor();
      await page.click('#accept-all');
      await page.locator('#no-suggestions').waitFor();
      await shot(page, output, '2-graph');

      // A rule on email, then golden fields.
      await go(page, 'rules');
      await page.click('#add-rule');
      await page.locator('[data-rule="rule_1"]').waitFor();
      await page.selectOption('[aria-label="Golden field to add"]', 'email');
      await page.click('text=Add golden field');
      await page.selectOption('[aria-label="Golden field to add"]', 'first_name');
      await page.click('text=Add golden field');
      await page.locator('#nav-rules .badge.ok').waitFor({ timeout: 10000 });
      await shot(page, output, '3-rules');

      const slow = await runAndWait(page);
      check(slow.length === 0, `main-thread tasks over 100 ms during the run: ${slow.join(', ')} ms`);
      const profiles = Number((await text(page, '#stat-golden')).replace(/,/g, ''));
      check(profiles > 1000 && profiles < 3000, `3000 demo records should make between 1000 and 3000 profiles, got ${profiles}`);
      await page.locator('svg.cluster').waitFor();
      await shot(page, output, '4-run');

      // Open a profile found by searching and read its golden email.
      await go(page, 'profiles');
      await page.locator('#profiles-table').waitFor();
      const firstEmail = await text(page, '#profiles-table tbody tr:first-child td:nth-of-type(3)');
      await page.fill('#profile-search', firstEmail);
      await page.waitForFunction((email) => {
        const total = document.querySelector('#profile-total');
        const rows = document.querySelectorAll('#profiles-table tbody tr');
        return total && /profile/.test(total.textContent) && rows.length >= 1
          && [...rows].every((row) => row.textContent.toLowerCase().includes(email.toLowerCase()));
      }, firstEmail);
      await page.click('#profiles-table tbody tr:first-child .profile-link');
      await page.locator('#golden-values').waitFor();
      const golden = await text(page, '#golden-values tr[data-field="email"] .golden-value');
      check(golden === firstEmail, `the profile's golden email reads ${golden}, the table said ${firstEmail}`);
      check(await page.locator('.record .cell.won').count() >= 1, 'the winning cell is highlighted');
      await shot(page, output, '5-profile');

      // Change the rule (email and a fuzzy first name), run again and read the what-if.
      await go(page, 'rules');
      await page.selectOption('[aria-label="Add a criterion to rule rule_1"]', 'first_name');
      await page.selectOption('[aria-label="Match type of criterion 2 of rule rule_1"]', 'fuzzy_medium');
      await page.locator('#nav-rules .badge.ok').waitFor({ timeout: 10000 });
      await runAndWait(page);
      await go(page, 'what-if');
      await page.locator('#what-if-split').waitFor();
      const split = Number(await text(page, '#what-if-split'));
      const changed = Number((await text(page, '#what-if-status')).replace(/,/g, ''));
      check(split > 0 && changed > 0, `requiring a similar first name should split profiles (split ${split}, changed ${changed})`);
      await page.click('#tab-split');
      await page.locator('.changes li').first().waitFor();
      await shot(page, output, '6-what-if');
      // The records moved out of their profile's successor are listed one by one.
      const moved = Number((await text(page, '#what-if-moved')).replace(/,/g, ''));
      await page.click('#tab-moved');
      if (moved > 0) {
        await page.locator('.changes li:has-text("moved from")').first().waitFor();
      } else {
        await page.locator('text=Nothing here').waitFor();
      }
      check((await text(page, '#tab-moved')).includes(`(${moved.toLocaleString('en-US')})`), 'the moved tab counts the moved records');

      // Export the graph and check it with the command line.
      await go(page, 'export');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-graph')]);
      const saved = join(output, 'exported-graph.json');
      await download.saveAs(saved);
      const verdict = execFileSync(spineBin(), ['validate', saved], { encoding: 'utf8' });
      check(/valid|ok/i.test(verdict), `spine validate says: ${verdict}`);
      const exported = JSON.parse(readFileSync(saved, 'utf8'));
      check(exported.rules[0].criteria.length === 2, 'the export holds the edited rule');
      await shot(page, output, '7-export');

      // A reload finds the graph again.
      await page.reload();
      await go(page, 'rules');
      await page.locator('[data-rule="rule_1"]').waitFor();
      check(await page.locator('[data-rule="rule_1"] .criterion').count() === 2, 'the restored rule keeps its two criteria');
      await go(page, 'graph');
      check(await page.locator('path[aria-label="mapping: crm.email to identifier email"]').count() === 1, 'the restored graph keeps the mapping');
    },
  },
  {
    name: 'a malformed CSV is reported with its file, line and column, and other files still load',
    async run(page, { url, output }) {
      await page.goto(url);
      const folder = join(output, 'bad');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'broken.csv'), 'id,email\n1,a@b.co\n2,"unclosed\n');
      writeFileSync(join(folder, 'ragged.csv'), 'id,email\n1,a@b.co,extra\n');
      writeFileSync(join(folder, 'fine.csv'), 'id,email\n1,<b>bold</b>\n');
      await page.setInputFiles('#file-input', ['broken.csv', 'ragged.csv', 'fine.csv'].map((f) => join(folder, f)));
      await page.locator('#load-errors').waitFor({ timeout: 20000 });
      const errors = await text(page, '#load-errors');
      check(errors.includes('broken.csv: line 3, column 2'), `the unclosed quote is placed: ${errors}`);
      check(errors.includes('ragged.csv: line 2'), `the ragged row is placed: ${errors}`);
      await page.locator('#file-fine').waitFor();
      await page.click('#file-fine summary');
      check(await page.locator('#file-fine b').count() === 0, 'cell text is shown as text, never as HTML');
      check((await text(page, '#file-fine .data-table')).includes('<b>bold</b>'), 'the markup is shown literally');
      await shot(page, output, '8-malformed');
    },
  },
  {
    name: 'the demo data set runs, replays its stages and fills the review dashboard',
    async run(page, { url, output, requests }) {
      await page.goto(url);
      await loadDemo(page);
      const slow = await runAndWait(page);
      check(slow.length === 0, `main-thread tasks over 100 ms during the run: ${slow.join(', ')} ms`);
      check(await page.locator('.timeline .stage').count() === 5, 'start and one stage per rule');
      await page.fill('#stage-slider', '0');
      await page.locator('text=after stage 0').waitFor();
      await page.click('#play');
      await page.locator('text=after stage 1').waitFor({ timeout: 5000 });
      await go(page, 'review');
      await page.locator('#model-metrics').waitFor({ timeout: 20000 });
      check(await page.locator('#model-metrics tbody tr').count() === 4, 'one row per model');
      check(await page.locator('#rule-metrics tbody tr').count() === 4, 'one row per rule');
      check(await page.locator('#suspicious li').count() > 0, 'suspicious profiles are listed');
      check((await text(page, '#unresolved')).includes('duplicate_key'), 'unresolved records are broken down by reason');
      await shot(page, output, '9-review');
      // A suspicious profile opens with its chain, and another record's absence is explained rule by rule.
      await page.click('#suspicious li:first-child button');
      await page.locator('#pair-chain').waitFor({ timeout: 20000 });
      await page.selectOption('[aria-label="The other record\'s model"]', 'crm');
      await page.fill('#why-not-key', 'CRM-0000001');
      await page.click('text=Explain');
      await page.locator('#why-not-answer .verdicts li').first().waitFor();
      check(await page.locator('#why-not-answer .verdicts li').count() === 4, 'one verdict per rule');
      await shot(page, output, '10-why-not');
      await go(page, 'events');
      await page.locator('#events-rate').waitFor({ timeout: 20000 });
      const rate = parseFloat(await text(page, '#events-rate'));
      check(rate > 0 && rate <= 100, `the demo's events are stitched: ${rate}%`);
      check(await page.locator('#event-metrics tbody tr').count() > 1, 'stitch rates by model and identifier');
      await shot(page, output, '11-events');
      // Each column mapping of an event model is removed and added on its own.
      await page.click('#event-model-web_events [aria-label="Unmap email from email"]');
      await page.locator('#event-model-web_events [data-mapping="email=email"]').waitFor({ state: 'detached' });
      check(await page.locator('#event-model-web_events [data-mapping]').count() === 2, 'the other mappings stay');
      await page.selectOption('#event-column-web_events', 'email');
      await page.selectOption('#event-identifier-web_events', 'email');
      await page.click('#event-map-web_events');
      await page.locator('#event-model-web_events [data-mapping="email=email"]').waitFor();
      await page.locator('#nav-rules .badge.ok').waitFor({ timeout: 10000 });
      const [download] = await Promise.all([page.waitForEvent('download'), (async () => {
        await go(page, 'export');
        await page.click('#table-identity_golden');
      })()]);
      const csv = readFileSync(await download.path(), 'utf8');
      check(csv.startsWith('dinmo_id,'), 'the golden table downloads as CSV');
      const formula = /(^|,)"?[=+\-@]/m;
      check(!formula.test(csv.split('\n').slice(1).join('\n')), 'no cell of the download starts a formula');
      // The warehouse SQL of the demo graph: phone numbers have no SQL form, so their values come beside it.
      const downloads = [];
      page.on('download', (d) => downloads.push(d));
      await page.click('#download-sql');
      await page.locator('.notice', { hasText: 'spine_lookup.csv' }).waitFor({ timeout: 20000 });
      for (let waited = 0; downloads.length < 2 && waited < 100; waited += 1) await page.waitForTimeout(100);
      const named = (name) => downloads.find((d) => d.suggestedFilename() === name);
      check(named('spine_duckdb.sql') && named('spine_lookup.csv'), `the script and its lookup download: ${downloads.map((d) => d.suggestedFilename())}`);
      const script = readFileSync(await named('spine_duckdb.sql').path(), 'utf8');
      check(script.includes('CREATE OR REPLACE TABLE "identity_golden"') && script.includes('FROM "crm" AS m'), 'the script reads the models and writes the golden table');
      const lookup = readFileSync(await named('spine_lookup.csv').path(), 'utf8');
      check(lookup.startsWith('identifier,raw_value,standardized_value,detail\n') && lookup.includes('\nphone,'), 'phone values come in spine_lookup.csv');
      const foreign = requests.filter((u) => !u.startsWith(page.url().split('#')[0].replace(/index\.html$/, '')));
      check(foreign.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:')).length === 0, `no request left the page: ${foreign}`);
    },
  },
  {
    name: 'a run can be cancelled and run again',
    async run(page, { url }) {
      await page.goto(url);
      await loadDemo(page);
      await go(page, 'run');
      await page.click('#run');
      await page.click('#cancel-run');
      await page.locator('#run-cancelled').waitFor();
      await page.locator('#run:not([disabled])').waitFor({ timeout: 20000 });
      await runAndWait(page);
      check(Number((await text(page, '#stat-records')).replace(/,/g, '')) === 3000, 'the fresh worker has the files again');
    },
  },
  {
    name: 'an invalid graph is not exported and an imported graph with errors names their place',
    async run(page, { url, output }) {
      await page.goto(url);
      await loadDemo(page);
      await go(page, 'rules');
      await page.click('[aria-label="Remove criterion 1 of rule same_user_id"]');
      await page.locator('#nav-rules .badge.bad').waitFor();
      await go(page, 'export');
      await page.click('#download-graph');
      await page.locator('#export-refused').waitFor();
      check((await text(page, '#export-refused')).includes('rules[1]'), 'the refusal lists the rule problem with its path');
      const bad = join(output, 'bad-graph.json');
      writeFileSync(bad, '{"version": 1, "models": [{"name": "crm", "primry_key": "id"}]}');
      await page.setInputFiles('#import-graph', bad);
      await page.locator('#import-errors').waitFor();
      const message = await text(page, '#import-errors');
      check(message.includes('models[0]') && message.includes('primry_key'), `the import error names the JSON path: ${message}`);
      await shot(page, output, '12-export-refused');
    },
  },
  {
    name: 'a column is mapped with the keyboard alone',
    async run(page, { url }) {
      await page.goto(url);
      await loadDemo(page);
      await go(page, 'graph');
      await page.focus('[data-column="crm.city"]');
      await page.keyboard.press('Enter');
      await page.focus('[data-identifier="email"]');
      await page.keyboard.press('Enter');
      const edge = page.locator('path[aria-label="mapping: crm.city to identifier email"]');
      await edge.waitFor();
      await edge.focus();
      await page.keyboard.press('Delete');
      await page.waitForFunction(() => !document.querySelector('path[aria-label="mapping: crm.city to identifier email"]'));
    },
  },
];

await runAll(tests);
