#!/usr/bin/env node
// The Warden console end to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core;
// no browser is downloaded). Run by ConsoleEndToEndTest, or by hand against a gateway whose console signs in
// through an OIDC IdP with a plain user-name form (mock-oauth2-server):
//
//   node clients/console-e2e.mjs <baseUrl> <screenshotDir>
//
// Environment: WARDEN_E2E_USER (user name typed at the IdP, default "ada"), WARDEN_E2E_MODEL (model the new key may
// use, default "demo"), WARDEN_E2E_GUARDRAIL_POLICY (a policy that redacts e-mail addresses in prompts, default
// "both"), WARDEN_E2E_PROFILE (Chromium user-data-dir, default a new temporary directory), CHROMIUM
// (default /usr/bin/chromium). Steps: sign in, verify the ledger, create a team, create a key in it and read the key
// from the shown-once box, call /v1/chat/completions with it, find its usage and its request in the audit log (with
// the entry's detail and its inclusion in a signed checkpoint), find the guardrail event of the e-mail address the
// key's policy redacted, revoke the key (it then gets 401), download a SOC 2 report and its manifest, sign out. A
// screenshot after each step.
// Prints one JSON line per step; the last line is the summary. Exit code 0 only if every step passed.

import {chromium} from 'playwright-core';
import {mkdtempSync, mkdirSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const [baseUrl, shotDir] = process.argv.slice(2);
if (!baseUrl || !shotDir) {
  console.error('usage: node console-e2e.mjs <baseUrl> <screenshotDir>');
  process.exit(2);
}
const user = process.env.WARDEN_E2E_USER || 'ada';
const model = process.env.WARDEN_E2E_MODEL || 'demo';
const guardrailPolicy = process.env.WARDEN_E2E_GUARDRAIL_POLICY || 'both';
const email = 'grace.hopper@example.com';
const profile = process.env.WARDEN_E2E_PROFILE || mkdtempSync(join(tmpdir(), 'warden-console-e2e-'));
mkdirSync(shotDir, {recursive: true});

// A hard stop: exiting makes Playwright kill the browser it launched.
const budget = setTimeout(() => {
  console.error('console-e2e: did not finish within 110 s');
  process.exit(3);
}, 110_000);

const problems = [];   // the console's page errors and console errors (CSP violations are reported there)
const origin = new URL(baseUrl).origin;
let shot = 0;
let page;

function step(name, details = {}) {
  console.log(JSON.stringify({step: name, ...details}));
}

async function screenshot(name) {
  const file = join(shotDir, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  return file;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** No error alert on screen: every failed admin API call shows one. */
async function noErrorAlert(where) {
  const alerts = page.locator('[data-testid=error]');
  if (await alerts.count()) throw new Error(`${where}: the console shows an error: ${await alerts.allInnerTexts()}`);
}

async function chat(key) {
  const response = await fetch(new URL('/v1/chat/completions', baseUrl), {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `Bearer ${key}`},
    body: JSON.stringify({model, messages: [{role: 'user', content: `hello from the console test, mail ${email}`}]}),
  });
  return {status: response.status, body: await response.text()};
}

async function open(route) {
  await page.click(`[data-testid=nav-${route}]`);
  await page.waitForURL(url => url.hash.startsWith(`#/${route}`));
  // The page renders after its first fetches (main is aria-busy until then): acting before that can click a form
  // whose handlers are not attached yet, which on a loaded machine left the test waiting for a search never sent.
  await page.waitForFunction(r => document.querySelector('#nav a[aria-current=page]')?.dataset.page === r
      && !document.getElementById('main').hasAttribute('aria-busy'), route);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // The network is closed here: without these flags Chromium stalls on background requests.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  acceptDownloads: true,
  viewport: {width: 1360, height: 900},
  timeout: 30_000,
});
let failed = false;
try {
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20_000);
  // Only Warden's own pages count: the test IdP's login page asks for a web font it cannot reach offline.
  const ours = () => page.url().startsWith(origin + '/');
  page.on('pageerror', error => {
    if (ours()) problems.push(`page error at ${page.url()}: ${error.message}`);
  });
  page.on('console', message => {
    if (message.type() === 'error' && ours()) problems.push(`console error at ${page.url()}: ${message.text()}`);
  });

  // 1. Sign in: /console → /login → the IdP's form → back to the console.
  await page.goto(new URL('/console', baseUrl).toString());
  await page.waitForURL(url => url.pathname === '/login');
  await screenshot('sign-in-page');
  await page.click('a[href*="/oauth2/authorization/"]');
  await page.waitForSelector('input[name=username]');
  await page.fill('input[name=username]', user);
  await screenshot('idp-login');
  await page.click('input[type=submit]');
  await page.waitForURL(url => url.pathname === '/console/');
  await page.waitForSelector('[data-testid=user-name]');
  const who = await page.textContent('[data-testid=user-name]');
  await page.waitForSelector('[data-testid=ledger-status] .card-body :is(dl, .error-text)');
  await page.waitForSelector('[data-testid=requests-today-value]');
  await noErrorAlert('overview');
  step('signed-in', {user: who});
  await page.click('[data-testid=verify-ledger]');
  await page.waitForSelector('[data-testid=ledger-verification][data-status=ok]');
  await noErrorAlert('ledger verification');
  await screenshot('overview-verified');
  step('ledger-verified', {status: 'ok'});

  // 2. A team with a monthly budget, for the key to belong to.
  await open('teams');
  const team = `e2e-team-${Date.now()}`;
  await page.fill('[data-testid=team-name]', team);
  await page.fill('[data-testid=team-budget-month]', '50');
  await page.click('[data-testid=create-team]');
  const teamRow = page.locator('[data-testid=teams-table] tr', {hasText: team});
  await teamRow.waitFor();
  check((await teamRow.innerText()).includes('month: $0.00 of $50.00'), `team row: ${await teamRow.innerText()}`);
  const teamId = await teamRow.getAttribute('data-key');
  await noErrorAlert('create team');
  await screenshot('team-created');
  step('team-created', {team_id: teamId});

  // 3. Create a key in that team; the secret is shown once.
  await open('keys');
  const name = `console-e2e-${Date.now()}`;
  await page.fill('[data-testid=key-name]', name);
  await page.selectOption('[data-testid=key-team]', teamId);
  await page.fill('[data-testid=key-owner]', 'console end-to-end test');
  await page.fill('[data-testid=key-models]', model);
  await page.fill('[data-testid=key-budget-month]', '5');
  await page.fill('[data-testid=key-rpm]', '60');
  await page.fill('[data-testid=key-guardrail-policy]', guardrailPolicy);
  await page.click('[data-testid=create-key]');
  await page.waitForSelector('[data-testid=new-key-secret]');
  const secret = await page.inputValue('[data-testid=new-key-secret]');
  const keyId = (await page.textContent('[data-testid=new-key-id]')).trim();
  check(/^wk-/.test(secret), `the shown-once key looks wrong: ${secret.substring(0, 6)}…`);
  check(/^key_[0-9a-f]{24}$/.test(keyId), `unexpected key id ${keyId}`);
  const row = page.locator(`[data-testid=keys-table] tr[data-key="${keyId}"]`);
  await row.waitFor();
  check((await row.innerText()).includes(name), 'the new key is not in the keys table');
  check((await row.innerText()).includes('60 rpm'), 'the rate limit is not shown');
  check((await row.innerText()).includes(team), 'the key\'s team is not shown');
  await noErrorAlert('create key');
  await screenshot('key-created');
  await page.click('[data-testid=dismiss-key]');
  await page.reload();
  await page.waitForSelector(`[data-testid=keys-table] tr[data-key="${keyId}"]`);
  check(!(await page.content()).includes(secret), 'the key is still visible after the page was reloaded');
  step('key-created', {key_id: keyId});

  // 4. Use it.
  const used = await chat(secret);
  check(used.status === 200, `POST /v1/chat/completions with the new key: ${used.status} ${used.body}`);
  const answer = JSON.parse(used.body).choices[0].message.content;
  check(!answer.includes(email), `the e-mail address reached the model unredacted: ${answer}`);
  step('key-used', {status: used.status, answer: answer.substring(0, 100)});

  // 5. See it used: usage by key, then the request in the audit log with its detail and checkpoint.
  await open('usage');
  await page.selectOption('[data-testid=usage-group]', 'key');
  await page.click('[data-testid=usage-apply]');
  const usageRow = page.locator(`[data-testid=usage-table] tr[data-key="${keyId}"]`);
  await usageRow.waitFor();
  const usageCells = await usageRow.locator('td').allInnerTexts();
  check(usageCells[0] === name, `usage row names ${usageCells[0]}, expected ${name}`);
  check(usageCells[2] === '1', `usage shows ${usageCells[2]} requests for the key, expected 1`);
  check(Number(usageCells[5].replace('$', '')) > 0, `usage shows cost ${usageCells[5]}`);
  await page.waitForSelector('[data-testid=usage-chart] rect.bar');
  await noErrorAlert('usage');
  await screenshot('usage-by-key');
  step('usage-seen', {requests: usageCells[2], cost: usageCells[5]});

  await open('audit');
  await page.check('[data-testid=audit-kind-request]');
  await page.fill('[data-testid=audit-key]', keyId);
  await page.click('[data-testid=audit-search]');
  await page.waitForURL(url => url.hash.includes('key=' + keyId));
  const auditRow = page.locator('[data-testid=audit-table] tbody tr').first();
  await auditRow.waitFor();
  const auditText = await auditRow.innerText();
  check(auditText.includes('request') && auditText.includes(keyId), `audit row: ${auditText}`);
  // The ledger signs a checkpoint every second or so: reopen the entry until one covers it.
  let inclusion = null;
  for (let attempt = 0; attempt < 15 && inclusion !== 'verified'; attempt++) {
    if (attempt > 0) await page.waitForTimeout(1000);
    await auditRow.locator('[data-testid=audit-open]').click();
    await page.waitForSelector('[data-testid=audit-entry-json]');
    inclusion = await page.getAttribute('[data-testid=inclusion-status]', 'data-status');
  }
  check(inclusion === 'verified', `the entry's inclusion in a signed checkpoint is ${inclusion}`);
  const entryJson = await page.textContent('[data-testid=audit-entry-json]');
  check(entryJson.includes(keyId), 'the entry detail does not mention the key');
  await noErrorAlert('audit');
  await screenshot('audit-entry');
  step('audit-seen', {seq: JSON.parse(entryJson).seq ?? null, inclusion});

  // The key's guardrail policy redacted the e-mail address: a guardrail event for the key.
  await open('guardrails');
  await page.fill('[data-testid=audit-key]', keyId);
  await page.click('[data-testid=audit-search]');
  await page.waitForURL(url => url.hash.startsWith('#/guardrails?') && url.hash.includes('key=' + keyId));
  const verdictRow = page.locator('[data-testid=audit-table] tbody tr').first();
  await verdictRow.waitFor();
  const verdictText = await verdictRow.innerText();
  check(verdictText.includes('guardrail_verdict') && verdictText.includes('redact'), `guardrail row: ${verdictText}`);
  await verdictRow.locator('[data-testid=audit-open]').click();
  await page.waitForSelector('[data-testid=audit-entry-json]');
  const verdictJson = await page.textContent('[data-testid=audit-entry-json]');
  check(!verdictJson.includes(email), 'the guardrail entry holds the e-mail address itself');
  await noErrorAlert('guardrails');
  await screenshot('guardrails');
  step('guardrails-seen', {verdict: 'redact'});

  // 6. Revoke it; the key is refused at once.
  await open('keys');
  await page.locator(`[data-testid=keys-table] tr[data-key="${keyId}"] [data-testid=revoke-key]`).click();
  await page.waitForSelector('[data-testid=confirm]');
  await screenshot('revoke-confirm');
  await page.click('[data-testid=confirm-ok]');
  await page.waitForSelector(`[data-testid=keys-table] tr[data-key="${keyId}"]`, {state: 'detached'});
  await page.check('[data-testid=show-revoked]');
  const revokedRow = page.locator(`[data-testid=keys-table] tr[data-key="${keyId}"]`);
  await revokedRow.waitFor();
  check((await revokedRow.innerText()).includes('revoked'), 'the key is not shown as revoked');
  await noErrorAlert('revoke');
  await screenshot('key-revoked');
  const refused = await chat(secret);
  check(refused.status === 401, `the revoked key got ${refused.status}, expected 401`);
  step('key-revoked', {status_after: refused.status});

  // 7. Download a SOC 2 report (PDF) and its signed manifest.
  await open('reports');
  await page.selectOption('[data-testid=report-format]', 'pdf');
  const [report] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-download]')]);
  const reportPath = join(shotDir, report.suggestedFilename());
  await report.saveAs(reportPath);
  const pdf = readFileSync(reportPath);
  check(/^soc2-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/.test(report.suggestedFilename()),
      `report file name ${report.suggestedFilename()}`);
  check(pdf.length > 1000, `the report has ${pdf.length} bytes`);
  check(pdf.subarray(0, 5).toString('latin1') === '%PDF-', 'the report does not start with %PDF-');
  check(pdf.subarray(-1024).toString('latin1').includes('%%EOF'), 'the report has no %%EOF trailer');
  const [manifestDownload] = await Promise.all([page.waitForEvent('download'),
    page.click('[data-testid=report-manifest]')]);
  const manifestPath = join(shotDir, manifestDownload.suggestedFilename());
  await manifestDownload.saveAs(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  check(manifest.report && manifest.report.file === report.suggestedFilename(), 'the manifest names another file');
  check(/^[0-9a-f]{64}$/.test(manifest.report.sha256) && manifest.sig, 'the manifest has no digest or signature');
  await noErrorAlert('reports');
  await screenshot('report-downloaded');
  step('report-downloaded', {file: report.suggestedFilename(), bytes: statSync(reportPath).size,
    status: manifest.status});

  // 8. Sign out; the console asks for a sign-in again.
  await page.click('[data-testid=sign-out]');
  await page.waitForURL(url => url.pathname === '/login' && url.search.includes('logout'));
  await screenshot('signed-out');
  await page.goto(new URL('/console/', baseUrl).toString());
  await page.waitForURL(url => url.pathname === '/login');
  step('signed-out');

  check(problems.length === 0, `the browser reported errors:\n${problems.join('\n')}`);
  console.log(JSON.stringify({result: 'passed', key_id: keyId, screenshots: shot}));
} catch (error) {
  failed = true;
  console.error(`console-e2e failed: ${error.stack || error}`);
  if (problems.length) console.error(`browser errors:\n${problems.join('\n')}`);
  if (page) await screenshot('failure').catch(() => {});
} finally {
  await context.close().catch(() => {});
  clearTimeout(budget);
}
process.exit(failed ? 1 : 0);
