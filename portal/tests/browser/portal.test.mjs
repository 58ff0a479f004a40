// The portal in a real browser against a real network (run by tests/run-browser-tests.sh,
// which seeds the cast of tests/seed.sh). The scenarios run in order: each builds on the
// ledger state the previous ones committed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMIN_KEY, DIR, URL, entryNumber, fillCertification, keyFile, launch, newPage, signIn } from './harness.mjs';

const CERT = 'CERT-MXEXP-2024-001';
const ENTRY = entryNumber('BRK', '0000001');
const IOR_A = '12-3456789AB';
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('1. an exporter signs in with its key file and issues a certification through the form', async () => {
  const page = await newPage(browser);
  await signIn(page, keyFile('exporter.key'));
  assert.match(await page.locator('.who').innerText(), /MX-EXP/);
  await page.goto(`${URL}/#/trader/certify`);
  await page.locator('[name="certId"]').waitFor();
  await fillCertification(page, CERT);
  // The form enforces the data elements before anything is signed: no statement, no issue.
  await page.getByRole('button', { name: 'Sign and issue' }).click();
  const refused = page.locator('.error-panel');
  await refused.waitFor();
  assert.match(await refused.innerText(), /CERT_INCOMPLETE:statementPresent/);
  assert.match(await refused.innerText(), /certification statement/);
  await page.getByLabel('I make the certification statement above').check();
  await page.getByRole('button', { name: 'Sign and issue' }).click();
  const done = page.locator('.success-panel');
  await done.waitFor();
  assert.match(await done.innerText(), new RegExp(`Certification ${CERT} is on the ledger`));
  await page.context().close();
});

test('2. a broker files an entry citing it, the IOR number hashed in the browser', async () => {
  const page = await newPage(browser);
  const bodies = [];
  page.on('request', (r) => bodies.push(`${r.url()} ${r.postData() ?? ''}`));
  await signIn(page, keyFile('broker.key'));
  await page.goto(`${URL}/#/trader/file`);
  await page.locator('[name="entryNumber"]').fill(ENTRY);
  await page.locator('[name="importer"]').fill('IMP-A');
  await page.locator('[name="iorNumber"]').fill(IOR_A);
  await page.locator('[name="shipmentRef"]').fill('MAEU7000001');
  await page.locator('[name="line.hts10"]').fill('8708300050');
  await page.locator('[name="line.mid"]').fill('MXAUTNOR400MON');
  await page.locator('[name="line.value"]').fill('18250');
  await page.locator('[name="line.certRef"]').fill(CERT);
  await page.getByRole('button', { name: 'Hash, sign and file' }).click();
  const done = page.locator('.success-panel');
  await done.waitFor({ timeout: 60_000 });
  const text = await done.innerText();
  assert.match(text, new RegExp(`Entry ${ENTRY} is on the ledger`));
  assert.match(text, /Accepted/);
  assert.equal(await page.locator('[name="iorNumber"]').inputValue(), '', 'the clear number is cleared');
  // Nothing the page sent holds the clear number: not a URL, not a body, not the signed
  // transaction inside the submitted envelope (decoded here).
  const sent = bodies.map((b) => {
    const m = /\/v1\/transactions\S* (\{.*\})$/s.exec(b);
    return m ? `${b} ${Buffer.from(JSON.parse(m[1]).transaction, 'base64').toString('latin1')}` : b;
  });
  assert.deepEqual(sent.filter((b) => b.includes(IOR_A) || b.includes(encodeURIComponent(IOR_A))), [],
    'the clear IOR number never left the browser');
  const filed = sent.find((b) => b.includes('"entry.file"') || b.includes('entry.file'));
  assert.ok(filed, 'the entry was submitted');
  assert.match(filed, /"iorNumberHash":"[0-9a-f]{64}"/, 'only the hash was signed');
  await page.context().close();
});

test('3. the customs officer sees the line accepted in the queue', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN_KEY());
  assert.match(page.url(), /#\/officer/);
  const row = page.locator(`tr[data-entry="${ENTRY}"][data-line="1"]`);
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, /Accepted/);
  assert.match(text, new RegExp(CERT));
  await page.context().close();
});

test('4. importer B cannot open importer A’s entry: the 403 reason code and its words', async () => {
  const page = await newPage(browser);
  await signIn(page, keyFile('importer-b.key'));
  await page.goto(`${URL}/#/trader`);
  await page.getByLabel('Entry number').fill(ENTRY);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const panel = page.locator('.lookup-result .error-panel');
  await panel.waitFor();
  const text = await panel.innerText();
  assert.match(text, /HTTP 403/);
  assert.match(text, /NOT_AUTHORIZED/);
  assert.match(text, /Your organisation is not entitled to do or see this\./);
  assert.doesNotMatch(text, /MXAUTNOR400MON|8708300050/, 'nothing of the entry is shown');
  await page.context().close();
});

test('5. Verify: a tampered proof bundle fails, the genuine one names its validators and height', async () => {
  const out = JSON.parse(readFileSync(`${DIR}/proofs/delegation.json`, 'utf8'));
  const genuine = out.proof;
  const header = Buffer.from(genuine.header, 'base64');
  header[header.length - 1] ^= 0x01; // one byte of the header changed
  const tampered = { ...genuine, header: header.toString('base64') };
  const page = await newPage(browser);
  await page.goto(`${URL}/#/verify`);
  const box = page.getByLabel('Proof bundle (JSON)');
  await box.fill(JSON.stringify(tampered));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const bad = page.locator('.verdict-bad');
  await bad.waitFor();
  assert.match(await bad.innerText(), /Not valid/);
  assert.match(await bad.innerText(), /PROOF_INVALID/);

  await box.fill(JSON.stringify(genuine));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const good = page.locator('.verdict-good');
  await good.waitFor();
  const text = await page.locator('.verify-result').innerText();
  assert.match(text, /Valid proof/);
  assert.match(text, new RegExp(`Certified at height ${genuine.height} by [34] validators`));
  const names = JSON.parse(readFileSync(`${DIR}/net/validators.json`, 'utf8')).validators.map((v) => v.name);
  const signers = await page.locator('.signers li').allInnerTexts();
  assert.ok(signers.length >= 3, `a quorum of the four validators signed: ${signers}`);
  for (const name of signers) assert.ok(names.includes(name), `${name} is a validator of ${names}`);
  assert.match(text, /delegation\.grant/);
  await page.context().close();
});

test('6. the officer verifies the claim: a denial too early shows DENIAL_PRECONDITION_UNMET in words, then affirms', async () => {
  const page = await newPage(browser);
  await signIn(page, ADMIN_KEY());
  const row = page.locator(`tr[data-entry="${ENTRY}"][data-line="1"]`);
  await row.getByRole('button', { name: 'Request information' }).click();
  let dialog = page.getByRole('dialog');
  assert.equal(await dialog.getByLabel('Addressee (organisation id)').inputValue(), 'IMP-A');
  await dialog.getByRole('button', { name: 'Request information' }).click();
  await page.locator('.status-line').getByText(/Committed to the ledger at height \d+/).waitFor();
  await page.locator(`tr[data-entry="${ENTRY}"][data-line="1"]`).getByText('Under verification').waitFor();
  const caseRow = page.locator('tr', { hasText: `VC-${ENTRY}-1` });
  await caseRow.getByRole('button', { name: 'Further request' }).click();
  dialog = page.getByRole('dialog');
  assert.equal(await dialog.getByLabel('Addressee (organisation id)').inputValue(), 'MX-EXP', 'the certifier not yet asked');
  await dialog.getByRole('button', { name: 'Further request' }).click();
  await page.locator('tr', { hasText: `VC-${ENTRY}-1` }).getByText(/MX-EXP/).waitFor();
  await page.locator('tr', { hasText: `VC-${ENTRY}-1` }).getByRole('button', { name: 'Intent to deny' }).click();
  await page.getByRole('dialog').getByLabel('Findings').fill('The producer records do not show regional value content.');
  await page.getByRole('dialog').getByRole('button', { name: 'Intent to deny' }).click();
  await page.locator('tr', { hasText: `VC-${ENTRY}-1` }).getByText(/window ends/).waitFor();
  await page.locator('tr', { hasText: `VC-${ENTRY}-1` }).getByRole('button', { name: 'Determine' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Determination').selectOption('DENIED');
  await dialog.getByLabel('Findings').fill('Origin not shown.');
  await dialog.getByRole('button', { name: 'Determine' }).click();
  const refused = dialog.locator('.error-panel');
  await refused.waitFor();
  assert.match(await refused.innerText(), /DENIAL_PRECONDITION_UNMET/);
  assert.match(await refused.innerText(), /intent-to-deny notice a full response window earlier/);
  await dialog.getByLabel('Determination').selectOption('AFFIRMED');
  await dialog.getByRole('button', { name: 'Determine' }).click();
  await page.locator(`tr[data-entry="${ENTRY}"][data-line="1"]`).getByText('Affirmed').waitFor();
  assert.equal(await page.locator('tr', { hasText: `VC-${ENTRY}-1` }).count(), 0, 'the case is closed');
  await page.context().close();
});

test('7. a rights holder applies, customs approves, the holder grants and suspends a licence drawn in the tree', async () => {
  const holder = await newPage(browser);
  await signIn(holder, keyFile('rights.key'));
  assert.match(holder.url(), /#\/rights/);
  await holder.getByRole('button', { name: 'Apply for a recordation' }).click();
  let dialog = holder.getByRole('dialog');
  await dialog.getByLabel('Recordation').fill('TMK 24-00077');
  await dialog.getByLabel('Registration number').fill('6001234');
  await dialog.getByLabel('Mark').fill('POLARIS');
  await dialog.getByLabel('Goods').fill('Jackets');
  await dialog.getByLabel('International classes').fill('25');
  await dialog.getByRole('button', { name: 'Apply for a recordation' }).click();
  await holder.locator('tr', { hasText: 'TMK 24-00077' }).getByText('Applied').waitFor();

  const officer = await newPage(browser);
  await signIn(officer, ADMIN_KEY());
  await officer.locator('tr', { hasText: 'TMK 24-00077' }).getByRole('button', { name: 'Approve' }).click();
  await officer.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
  await officer.locator('tr', { hasText: 'TMK 24-00077' }).getByText('Active').waitFor();
  await officer.context().close();

  await holder.reload();
  await holder.locator('tr', { hasText: 'TMK 24-00077' }).getByText('Active').waitFor();
  await holder.getByRole('button', { name: 'Grant a licence' }).click();
  dialog = holder.getByRole('dialog');
  await dialog.getByLabel('Licence id').fill('LIC-POL-1');
  await dialog.getByLabel('Licensee (organisation id)').fill('LIC');
  await dialog.getByLabel('Licensed product').fill('POLARIS jackets');
  await dialog.getByLabel('HTS prefixes').fill('6201');
  await dialog.getByLabel('Quantity limit').fill('5000');
  await dialog.getByRole('button', { name: 'Grant a licence' }).click();
  const node = holder.locator('.node', { hasText: 'LIC-POL-1' });
  await node.waitFor();
  assert.match(await node.innerText(), /RH → LIC/);
  await node.getByRole('button', { name: 'Suspend' }).click();
  await holder.getByRole('dialog').getByRole('button', { name: 'Suspend' }).click();
  await holder.locator('.node', { hasText: 'LIC-POL-1' }).getByText('Suspended').waitFor();
  await holder.context().close();
});

test('8. the exporter supersedes its certification from the pre-filled form, then withdraws the new one', async () => {
  const page = await newPage(browser);
  await signIn(page, keyFile('exporter.key'));
  const row = page.locator('tr', { hasText: CERT });
  await row.getByRole('link', { name: 'Supersede' }).click();
  await page.locator('[name="certId"]').waitFor();
  assert.equal(await page.locator('[name="certId"]').inputValue(), `${CERT}-R1`);
  assert.equal(await page.locator('[name="importer.orgId"]').inputValue(), 'IMP-A', 'pre-filled from the ledger');
  assert.equal(await page.locator('[name="good.hsCode"]').inputValue(), '870830');
  await page.getByLabel('I make the certification statement above').check();
  await page.getByRole('button', { name: 'Sign and supersede' }).click();
  await page.locator('.success-panel').waitFor();
  await page.getByRole('link', { name: 'Back to the list' }).click();
  await page.locator('tr', { hasText: `${CERT}-R1` }).getByText('Issued').waitFor();
  await page.locator('tr').filter({ has: page.getByText(CERT, { exact: true }) }).getByText('Superseded').waitFor();
  await page.locator('tr', { hasText: `${CERT}-R1` }).getByRole('button', { name: 'Withdraw' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Withdraw' }).click();
  await page.locator('tr', { hasText: `${CERT}-R1` }).getByText('Withdrawn').waitFor();
  await page.context().close();
});

test('9. importer A grants a filing delegation and revokes it', async () => {
  const page = await newPage(browser);
  await signIn(page, keyFile('importer-a.key'));
  await page.getByRole('button', { name: 'Grant a delegation' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Delegation').fill('DEL-IMPA-BRK-2');
  await dialog.getByLabel('Broker (organisation id)').fill('BRK');
  await dialog.getByRole('button', { name: 'Grant a delegation' }).click();
  const row = page.locator('tr', { hasText: 'DEL-IMPA-BRK-2' });
  await row.getByText('Active').waitFor();
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await page.locator('tr', { hasText: 'DEL-IMPA-BRK-2' }).getByText('Revoked').waitFor();
  await page.context().close();
});

test('the Spanish switch changes the interface text', async () => {
  const page = await newPage(browser);
  await page.goto(`${URL}/#/verify`);
  assert.equal(await page.locator('h1').innerText(), 'Verify a document or a proof');
  await page.getByRole('button', { name: /Cambiar a español/ }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.equal(await page.locator('h1').innerText(), 'Verificar un documento o una prueba');
  assert.ok(await page.getByRole('link', { name: 'Explorador' }).isVisible());
  assert.ok(await page.getByRole('button', { name: 'Verificar', exact: true }).isVisible());
  await page.reload();
  assert.equal(await page.locator('h1').innerText(), 'Verificar un documento o una prueba', 'the choice is kept');
  await page.context().close();
});

test('keyboard alone reaches the sign-in, signs in and lands on a view', async () => {
  const page = await newPage(browser);
  await page.goto(`${URL}/#/explorer`);
  await page.locator('h1').waitFor();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return `${el?.tagName} ${el?.getAttribute('name') ?? ''} ${(el?.textContent ?? '').trim().slice(0, 40)}`;
  });
  let found = false;
  for (let i = 0; i < 12 && !found; i++) {
    await page.keyboard.press('Tab');
    found = (await focused()).startsWith('A  Sign in');
  }
  assert.ok(found, 'Tab reaches the Sign in link');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#/signin' && document.activeElement?.tagName === 'H1');
  for (let i = 0; i < 6 && !(await focused()).startsWith('TEXTAREA keytext'); i++) await page.keyboard.press('Tab');
  assert.match(await focused(), /^TEXTAREA keytext/);
  await page.keyboard.insertText(keyFile('importer-a.key'));
  await page.keyboard.press('Tab');
  assert.match(await focused(), /^BUTTON/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#/trader' && document.activeElement?.tagName === 'H1');
  assert.equal(await page.locator('h1').innerText(), 'Trader');
  // The focus ring is visible (not suppressed) on the control that holds focus.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.context().close();
});

test('first load of / transfers under 300 KB', async () => {
  const page = await newPage(browser);
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await page.goto(`${URL}/`, { waitUntil: 'networkidle' });
  let total = 0;
  for (const r of responses) {
    const sizes = await r.request().sizes();
    total += sizes.responseBodySize + sizes.responseHeadersSize;
  }
  assert.ok(responses.length >= 3, 'index.html, script and stylesheet');
  assert.ok(total < 300 * 1024, `first load transferred ${total} bytes`);
  console.log(`# first load: ${responses.length} responses, ${total} bytes`);
  const csp = (await responses[0].allHeaders())['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'self'/);
  await page.context().close();
});
