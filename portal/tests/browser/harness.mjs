// Shared by the browser tests and the screenshots: Debian's Chromium through playwright-core
// (never a downloaded browser), a fresh profile per launch, and sign-in with a key file as a
// user does it (pasting the file's three lines).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

export const URL = process.env.TL_URL ?? 'http://127.0.0.1:7911';
export const DIR = process.env.TL_DIR ?? '';

export function keyFile(name) {
  return readFileSync(name.startsWith('/') ? name : `${DIR}/keys/${name}`, 'utf8');
}

export const ADMIN_KEY = () => keyFile(`${DIR}/net/customs/admin.key`);

// Playwright gives each launch a new temporary --user-data-dir.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A page in a new context (its own storage: a new browser session).
export async function newPage(browser, lang = 'en') {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang === 'es' ? 'es-MX' : 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

export async function signIn(page, keyText) {
  await page.goto(`${URL}/#/signin`);
  await page.getByLabel('Or paste the key file’s three lines').fill(keyText);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForFunction(() => location.hash && !location.hash.startsWith('#/signin'));
  await page.locator('h1').first().waitFor();
}

// luhn-mod10-v1 (ADR 0012), as the node checks entry numbers.
export function entryNumber(filer, serial) {
  const digits = [...filer + serial].map((c) => (c >= '0' && c <= '9' ? Number(c) : (c.charCodeAt(0) - 64) % 10));
  let sum = 0;
  let dbl = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits[i];
    if (dbl) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    dbl = !dbl;
  }
  return `${filer}-${serial}-${(10 - (sum % 10)) % 10}`;
}

// Fills the certification form with a complete USMCA blanket certification by MX-EXP.
export async function fillCertification(page, certId) {
  await page.locator('[name="certId"]').fill(certId);
  await page.locator('[name="certifier.title"]').fill('Export manager');
  await page.locator('[name="certifier.address"]').fill('Av. Constitución 400, Monterrey, N.L.');
  await page.locator('[name="certifier.countryIso2"]').fill('MX');
  await page.locator('[name="certifier.phone"]').fill('+52 81 8000 1200');
  await page.locator('[name="certifier.email"]').fill('origen@autopartes.example');
  await page.locator('[name="importer.name"]').fill('Great Lakes Motors Inc.');
  await page.locator('[name="importer.address"]').fill('1200 Industrial Pkwy, Detroit, MI');
  await page.locator('[name="importer.countryIso2"]').fill('US');
  await page.locator('[name="importer.orgId"]').fill('IMP-A');
  await page.locator('[name="good.description"]').fill('Brake assemblies for passenger vehicles');
  await page.locator('[name="good.hsCode"]').fill('8708.30');
  await page.locator('[name="good.originCriterion"]').selectOption('B');
  await page.locator('[name="signatory.name"]').fill('Ana Ruiz');
  await page.locator('[name="signatory.title"]').fill('Export manager');
}
