#!/usr/bin/env node
/*
 * A stand-in "VS Code executable" for @vscode/test-electron, for machines with no internet.
 *
 * It takes the desktop CLI arguments that runTests passes:
 *   [folder] --extensionDevelopmentPath=P --extensionTestsPath=P --user-data-dir=D --extensions-dir=E
 * (any other flag is ignored) and runs the tests in code-server: VS Code's server, whose Node
 * extension host loads the extension under development and the mocha suite, and VS Code's web
 * workbench, opened in headless Debian chromium through playwright-core. The workbench takes the
 * test paths from its `payload` URL parameter (as microsoft/vscode's browser integration tests do);
 * extension-host console output comes back through `window.codeAutomationLog`, and the exit code
 * through `window.codeAutomationExit`. Exits with that code.
 *
 *   --install-extension <file.vsix> [--extensions-dir E]   installs a package with code-server's CLI
 *   --version                                              prints code-server's VS Code version
 *
 * Environment (printed by install.sh): RNN_LAB_CODE_SERVER (code-server's out/node/entry.js),
 * RNN_LAB_PLAYWRIGHT (the playwright-core folder), RNN_LAB_CHROMIUM, RNN_LAB_NODE;
 * optional RNN_LAB_VSCODE_TEST_TIMEOUT_S (default 900), RNN_LAB_VSCODE_TEST_VERBOSE=1.
 */
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const CODE_SERVER = requiredEnv('RNN_LAB_CODE_SERVER');
const NODE = process.env.RNN_LAB_NODE || process.execPath;
const CHROMIUM = process.env.RNN_LAB_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_S = Number(process.env.RNN_LAB_VSCODE_TEST_TIMEOUT_S || 900);
const VERBOSE = process.env.RNN_LAB_VSCODE_TEST_VERBOSE === '1';

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`[code-offline] ${name} is not set: run scripts/vscode-test/install.sh and export what it prints`);
    process.exit(2);
  }
  return value;
}

function log(...parts) {
  console.log('[code-offline]', ...parts);
}

/** Desktop-style CLI arguments → what this runner uses. */
function parseArgs(argv) {
  const options = { developmentPaths: [], testsPath: undefined, userDataDir: undefined, extensionsDir: undefined,
    installExtension: undefined, version: false, disableExtensions: false, targets: [] };
  const takesValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'install-extension', 'locale', 'log']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) { options.targets.push(path.resolve(arg)); continue; }
    let key = arg.replace(/^--?/, '');
    let value;
    const eq = key.indexOf('=');
    if (eq >= 0) { value = key.slice(eq + 1); key = key.slice(0, eq); }
    else if (takesValue.has(key) && i + 1 < argv.length) value = argv[++i];
    switch (key) {
      case 'extensionDevelopmentPath': options.developmentPaths.push(path.resolve(value)); break;
      case 'extensionTestsPath': options.testsPath = path.resolve(value); break;
      case 'user-data-dir': options.userDataDir = path.resolve(value); break;
      case 'extensions-dir': options.extensionsDir = path.resolve(value); break;
      case 'install-extension': options.installExtension = path.resolve(value); break;
      case 'version': case 'v': options.version = true; break;
      case 'disable-extensions': options.disableExtensions = true; break;
      default: if (VERBOSE) log('ignoring', arg);
    }
  }
  return options;
}

function vscodeVersion() {
  const vscodeDir = path.join(path.dirname(CODE_SERVER), '..', '..', 'lib', 'vscode');
  const product = JSON.parse(fs.readFileSync(path.join(vscodeDir, 'product.json'), 'utf8'));
  const pkg = JSON.parse(fs.readFileSync(path.join(vscodeDir, 'package.json'), 'utf8'));
  return `${pkg.version}\n${product.commit || 'unknown'}\nx64`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isHealthy(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => { response.resume(); resolve(response.statusCode >= 200 && response.statusCode < 400); });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => { request.destroy(); resolve(false); });
  });
}

/** A fresh profile gets quiet, offline settings; an existing settings.json is kept. */
function prepareProfile(userDataDir) {
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(settingsFile)) return;
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
    'update.mode': 'none', 'telemetry.telemetryLevel': 'off', 'workbench.enableExperiments': false,
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false,
  }, null, 2));
}

/** Environment for code-server: private XDG folders and TMPDIR, and no marketplace. */
function serverEnv(tmp) {
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'), TMPDIR: path.join(tmp, 't') };
  delete env.ELECTRON_RUN_AS_NODE;
  fs.mkdirSync(env.TMPDIR, { recursive: true });
  if (!env.EXTENSIONS_GALLERY) env.EXTENSIONS_GALLERY = '{}';   // an empty gallery turns off marketplace queries
  return env;
}

function installExtension(options) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lab-code-install-'));
  const args = [CODE_SERVER, '--extensions-dir', options.extensionsDir || path.join(tmp, 'extensions'),
    '--user-data-dir', options.userDataDir || path.join(tmp, 'user-data'), '--install-extension', options.installExtension, '--force'];
  const result = childProcess.spawnSync(NODE, args, { env: serverEnv(tmp), stdio: 'inherit' });
  fs.rmSync(tmp, { recursive: true, force: true });
  return result.status ?? 1;
}

async function runTests(options) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lab-code-offline-'));
  const userDataDir = options.userDataDir || path.join(tmp, 'user-data');
  const extensionsDir = options.extensionsDir || path.join(tmp, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  prepareProfile(userDataDir);
  const configFile = path.join(tmp, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const host = `127.0.0.1:${await freePort()}`;
  const serverArgs = [CODE_SERVER, '--config', configFile, '--auth', 'none', '--bind-addr', host,
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', '--disable-proxy'];
  const serverLogFile = path.join(tmp, 'code-server.log');
  // detached: its own process group, so the extension host and pty host it forks end with it
  const server = childProcess.spawn(NODE, serverArgs, { env: serverEnv(tmp), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const serverLog = fs.createWriteStream(serverLogFile);
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  let serverExited = false;
  server.on('exit', () => { serverExited = true; });

  let browser;
  let finished = false;
  const finish = async (code, why) => {
    if (finished) return;
    finished = true;
    if (why) log(why);
    try { if (browser) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000))]); } catch { /* already closed */ }
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      try { if (!serverExited) process.kill(-server.pid, signal); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 300));
    }
    if (code === 0) fs.rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp} (code-server.log) for inspection`);
    process.exit(code);
  };
  process.on('SIGINT', () => finish(130, 'interrupted'));
  process.on('SIGTERM', () => finish(143, 'terminated'));
  setTimeout(() => finish(1, `timeout after ${TIMEOUT_S} s`), TIMEOUT_S * 1000).unref();

  const startedAt = Date.now();
  while (!(await isHealthy(`http://${host}/healthz`))) {
    if (serverExited) return finish(1, 'code-server failed to start:\n' + fs.readFileSync(serverLogFile, 'utf8'));
    if (Date.now() - startedAt > 60_000) return finish(1, 'code-server was not ready after 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }

  const remote = (p) => `vscode-remote://${host}${encodeURI(p.split(path.sep).join('/'))}`;
  const payload = [
    ...options.developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(options.testsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (options.disableExtensions) payload.push(['disableExtensions', 'true']);
  const target = options.targets[0];
  const query = target ? 'folder=' + encodeURIComponent(target) : 'ew=true';
  const url = `http://${host}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const { chromium } = require(requiredEnv('RNN_LAB_PLAYWRIGHT'));
  browser = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const consoleMethod = (type) => (type === 'error' ? 'error' : type === 'warn' || type === 'warning' ? 'warn' : 'log');
  await browser.exposeFunction('codeAutomationLog', (type, args) => {
    console[consoleMethod(type)](...(Array.isArray(args) ? args : [args]));
  });
  await browser.exposeFunction('codeAutomationExit', (code) => {
    setImmediate(() => finish(code, `tests finished, exit code ${code}`));
  });
  const page = browser.pages()[0] || (await browser.newPage());
  page.on('crash', () => finish(1, 'the workbench page crashed'));
  page.on('console', (message) => {
    const text = message.text();
    if (/No extension host found that can launch the test runner/.test(text)) finish(1, 'workbench: ' + text);
    else if (VERBOSE) console.log(`[browser ${message.type()}]`, text);
  });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  return undefined;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.version) { console.log(vscodeVersion()); return 0; }
  if (options.installExtension) return installExtension(options);
  if (!options.testsPath || options.developmentPaths.length === 0) {
    console.error('[code-offline] only test runs are supported: pass --extensionDevelopmentPath and --extensionTestsPath');
    return 2;
  }
  return runTests(options);
}

main().then(
  (code) => { if (typeof code === 'number') process.exit(code); },
  (error) => { console.error('[code-offline]', error && error.stack ? error.stack : error); process.exit(1); },
);
