#!/usr/bin/env node
/**
 * `npm run screenshots`: README screenshots taken from the real extension, in a real VS Code.
 *
 * Builds the extension, copies examples/ and the schema into a scratch workspace, trains the digits
 * example there with the CLI (so the Runs view has a run to show), then starts code-server (VS Code's
 * server and web workbench, installed by scripts/vscode-test/install.sh) with this folder as the
 * extension under development, and drives Debian's chromium with playwright-core through the UI:
 *   media/screenshots/sidebar.jpg        the RNN Lab sidebar (Models, Datasets, Runs) beside a spec
 *   media/screenshots/architecture.jpg   a spec with the architecture panel beside it
 *   media/screenshots/dashboard.jpg      the training dashboard of the run Train Model starts on the digits spec
 *   media/screenshots/evaluation.jpg     the Evaluate Run results view of the CLI-trained run
 *   media/screenshots/preview.jpg        the dataset preview of the sunspots series
 * Each is a JPEG at most 1,100 px wide (compact-screenshot.mjs): `npm run package` inlines them in the
 * .vsix's README (inline-readme-images.mjs) so the extension's page shows them offline, under 1 MB in all.
 * Options: --epochs N (digits training, default 12), --keep (keep the scratch workspace).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactPng } from './compact-screenshot.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(repo, 'media', 'screenshots');
const argv = process.argv.slice(2);
const epochs = Number(argv[argv.indexOf('--epochs') + 1]) || 12;
const keep = argv.includes('--keep');
const VIEWPORT = { width: 1360, height: 820 };
const log = (...parts) => console.log('[screenshots]', ...parts);

/** The paths install.sh prints (code-server, playwright-core, chromium, node). */
function harness() {
  const out = execFileSync('bash', [path.join(repo, 'scripts', 'vscode-test', 'install.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.fromEntries(out.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
}

/** A scratch copy of examples/ with one trained digits run in it. */
function prepareWorkspace() {
  const workspace = mkdtempSync(path.join(tmpdir(), 'rnn-lab-screenshots-'));
  for (const name of ['digits', 'genesis', 'sunspots']) {
    cpSync(path.join(repo, 'examples', name), path.join(workspace, 'examples', name), { recursive: true, filter: (src) => !src.includes('.rnnlab') });
  }
  cpSync(path.join(repo, 'schemas'), path.join(workspace, 'schemas'), { recursive: true });
  log(`training examples/digits for ${epochs} epochs (CLI)…`);
  execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'train', 'digits-rnn.rnn.json', '--epochs', String(epochs), '--json'],
    { cwd: path.join(workspace, 'examples', 'digits'), stdio: ['ignore', 'ignore', 'inherit'] });
  return workspace;
}

const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const healthy = (url) => new Promise((resolve) => {
  const request = http.get(url, (response) => { response.resume(); resolve(response.statusCode < 400); });
  request.on('error', () => resolve(false));
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startCodeServer(env, scratch) {
  const host = `127.0.0.1:${await freePort()}`;
  const config = path.join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const userData = path.join(scratch, 'user-data');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'security.workspace.trust.enabled': false, 'extensions.ignoreRecommendations': true, 'workbench.colorTheme': 'Default Dark Modern',
    'window.commandCenter': false, 'workbench.layoutControl.enabled': false, 'chat.commandCenter.enabled': false, 'editor.minimap.enabled': false,
  }));
  const serverEnv = { ...process.env, XDG_CONFIG_HOME: path.join(scratch, 'xdg'), XDG_DATA_HOME: path.join(scratch, 'xdg'), EXTENSIONS_GALLERY: '{}' };
  const server = spawn(env.RNN_LAB_NODE, [env.RNN_LAB_CODE_SERVER, '--config', config, '--auth', 'none', '--bind-addr', host,
    '--user-data-dir', userData, '--extensions-dir', path.join(scratch, 'extensions'), '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'], { env: serverEnv, stdio: 'ignore', detached: true });
  for (let i = 0; !(await healthy(`http://${host}/healthz`)); i++) {
    if (i > 240) throw new Error('code-server did not start');
    await sleep(250);
  }
  return { host, stop: () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } } };
}

/** Runs a palette command by its title. */
async function command(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file by name through Quick Open. */
async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

/** In the run QuickPick, once it lists two runs (newest first), picks the one at `index`. */
async function pickRun(page, index) {
  const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: 'runs/' });
  await rows.nth(1).waitFor({ state: 'visible', timeout: 30_000 });
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

/** Waits until some webview's inner frame shows `selector`. */
async function webviewShows(page, selector, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    await sleep(300);
  }
  throw new Error(`no webview showed ${selector}`);
}

async function shoot(page, name) {
  await sleep(800);
  const file = path.join(outDir, `${name}.jpg`);
  writeFileSync(file, await compactPng(page.context().browser(), await page.screenshot()));
  log(`${path.relative(repo, file)}: ${(statSync(file).size / 1024).toFixed(0)} KB`);
}

async function main() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
  const env = harness();
  const workspace = prepareWorkspace();
  const scratch = mkdtempSync(path.join(tmpdir(), 'rnn-lab-code-'));
  const server = await startCodeServer(env, scratch);
  const { chromium } = createRequire(import.meta.url)(env.RNN_LAB_PLAYWRIGHT);
  const browser = await chromium.launch({ executablePath: env.RNN_LAB_CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const payload = [['extensionDevelopmentPath', `vscode-remote://${server.host}${repo}`], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
    await page.goto(`http://${server.host}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await sleep(4000);
    mkdirSync(outDir, { recursive: true });

    await openFile(page, 'digits-rnn.rnn.json');
    await command(page, 'RNN Lab: Focus on Models View');
    await page.locator('.pane-header', { hasText: 'Runs' }).waitFor();
    for (const header of await page.locator('.pane-header.collapsed').all()) await header.click();
    await page.locator('.monaco-list-row', { hasText: 'digits-rnn' }).first().waitFor({ timeout: 30_000 });
    for (const twistie of await page.locator('.pane-body .monaco-tl-twistie.collapsible.collapsed').all()) await twistie.click().catch(() => undefined);
    await shoot(page, 'sidebar');

    await command(page, 'RNN Lab: Show Architecture');
    await webviewShows(page, 'svg');
    await shoot(page, 'architecture');

    // The dataset preview (Datasets view selection or the command), then the spec again for Train Model.
    await command(page, 'View: Close All Editors');
    await command(page, 'RNN Lab: Preview Dataset');
    await page.locator('.quick-input-widget input').fill('sunspots-train');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'sunspots-train.csv' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await webviewShows(page, '.series-chart canvas', 60_000);
    await sleep(1500);
    await shoot(page, 'preview');
    await command(page, 'View: Close All Editors');
    await openFile(page, 'digits-rnn.rnn.json');

    await command(page, 'RNN Lab: Train Model');
    await sleep(2500);                                                           // its run folder appears
    await command(page, 'View: Close All Editors');
    await command(page, 'View: Close Primary Side Bar');
    await command(page, 'Notifications: Clear All Notifications');
    await command(page, 'RNN Lab: Open Training Dashboard');
    await pickRun(page, 0);                                                      // the newest run: the one training
    await webviewShows(page, '.dashboard canvas');
    await sleep(6000);
    await shoot(page, 'dashboard');

    await webviewShows(page, '.badge:has-text("finished")', 180_000);           // the live run ends
    await command(page, 'RNN Lab: Evaluate Run');
    await pickRun(page, 1);                                                      // the CLI-trained run
    await webviewShows(page, 'table.confusion', 120_000);
    await sleep(2500);                                                           // let the new webview paint
    await shoot(page, 'evaluation');

  } finally {
    await browser.close();
    server.stop();
    rmSync(scratch, { recursive: true, force: true });
    if (keep) log(`kept the workspace ${workspace}`);
    else rmSync(workspace, { recursive: true, force: true });
  }
  for (const file of readdirSync(outDir)) {
    const kb = statSync(path.join(outDir, file)).size / 1024;
    if (kb > 120) throw new Error(`${file} is ${kb.toFixed(0)} KB, over the 120 KB budget (the .vsix ships them)`);
  }
}

main().catch((error) => { console.error('[screenshots]', error); process.exit(1); });
