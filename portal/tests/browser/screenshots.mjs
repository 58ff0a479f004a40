// Takes one PNG per role's main view (run by tests/screenshots.sh on a seeded network).
import { readFileSync } from 'node:fs';
import { ADMIN_KEY, DIR, URL, keyFile, launch, newPage, signIn } from './harness.mjs';

const OUT = process.env.OUT ?? '.';
const browser = await launch();

async function shot(name, page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.loading'));
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
  console.log(`wrote ${OUT}/${name}.png`);
}

// Signs in (in English, as the harness's labels are), then switches language if asked.
async function asUser(key, hash, lang = 'en') {
  const page = await newPage(browser);
  if (key) await signIn(page, key);
  if (lang === 'es') {
    await page.evaluate(() => localStorage.setItem('tl.lang', 'es'));
  }
  await page.goto(`${URL}/${hash}`);
  if (lang === 'es') await page.reload();
  await page.locator('h1').waitFor();
  return page;
}

try {
  await shot('officer', await asUser(ADMIN_KEY(), '#/officer'));
  await shot('trader', await asUser(keyFile('importer-a.key'), '#/trader'));
  await shot('trader-exporter', await asUser(keyFile('exporter.key'), '#/trader'));
  await shot('trader-es', await asUser(keyFile('importer-a.key'), '#/trader', 'es'));
  await shot('rights', await asUser(keyFile('rights.key'), '#/rights'));
  const verify = await asUser(null, '#/verify');
  const proof = JSON.parse(readFileSync(`${DIR}/proofs/delegation.json`, 'utf8'));
  await verify.getByLabel('Proof bundle (JSON)').fill(JSON.stringify(proof.proof, null, 2));
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await verify.locator('.verdict').waitFor();
  await shot('verify', verify);
  await shot('explorer', await asUser(null, '#/explorer'));
} finally {
  await browser.close();
}
