// End-to-end tests of the built studio: each does what a person does, in headless Chromium.
import { check, runAll } from './harness.mjs';
import { join } from 'node:path';

const tests = [
  {
    name: 'load demo data and read the profile count',
    async run(page, { url, output }) {
      await page.goto(url);
      await page.getByRole('button', { name: 'Load demo data' }).click();
      const count = page.locator('#profile-count');
      await count.waitFor({ timeout: 20000 });
      const profiles = Number(await count.textContent());
      check(profiles === 4, `expected 4 profiles from the demo data, the page shows ${profiles}`);
      await page.screenshot({ path: join(output, 'load-demo.png'), fullPage: true });
    },
  },
];

await runAll(tests);
