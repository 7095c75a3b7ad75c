/**
 * `npm run test:integration`: runs the mocha suites of `test/integration/` inside a real VS Code
 * extension host, through @vscode/test-electron's `runTests`.
 *
 * VS Code is never downloaded. By default the "executable" is `scripts/vscode-test/code`, a shim that
 * runs code-server (npm) driven by headless chromium (Debian); `scripts/vscode-test/install.sh`
 * installs both into a cache folder and prints their paths. `RNN_LAB_VSCODE_PATH=<desktop code binary>`
 * uses an installed desktop VS Code instead.
 *
 * Two runs:
 *   1. `suite/`: the extension under development (this folder) on a copy of the fixture workspace;
 *   2. `packaged/`: `npm run package` builds the .vsix, which is installed into an empty extensions
 *      folder; the suite then drives the installed copy (skipped with RNN_LAB_SKIP_VSIX_TEST=1,
 *      except when `CI` is set: see packagedSuitePolicy.ts).
 */
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { skipPackagedSuite } from './packagedSuitePolicy';

const repoRoot = path.resolve(__dirname, '..', '..');
const outDir = path.join(repoRoot, 'dist', 'integration');

/** The VS Code executable to hand to runTests, with the environment it needs. */
function resolveVscode(): string {
  const desktop = process.env.RNN_LAB_VSCODE_PATH;
  if (desktop) return desktop;
  const install = spawnSync('bash', [path.join(repoRoot, 'scripts', 'vscode-test', 'install.sh')], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (install.status !== 0) throw new Error(`scripts/vscode-test/install.sh failed (exit ${install.status})`);
  for (const line of install.stdout.split('\n')) {
    const match = /^(RNN_LAB_[A-Z_]+)=(.*)$/.exec(line);
    if (match) process.env[match[1]] = match[2];
  }
  return path.join(repoRoot, 'scripts', 'vscode-test', 'code');
}

/** Bundles each suite folder's index.ts and *.test.ts for the extension host (mocha and vscode stay external). */
async function buildSuites(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const entryPoints: Record<string, string> = {};
  for (const folder of ['suite', 'packaged']) {
    const dir = path.join(__dirname, folder);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      entryPoints[`${folder}/${file.replace(/\.ts$/, '')}`] = path.join(dir, file);
    }
  }
  await build({ entryPoints, outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    sourcemap: 'inline', external: ['vscode', 'mocha'], logLevel: 'warning',
    // As esbuild.mjs: jsonc-parser's UMD main does not survive bundling; its ESM entry does.
    mainFields: ['module', 'main'] });
}

/** A scratch copy of the fixture workspace: the suites write specs and runs into it. */
function copyWorkspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-workspace-'));
  cpSync(path.join(__dirname, 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

async function runPackagedSuite(vscodeExecutablePath: string): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'rnn-lab-vsix-'));
  const vsix = path.join(scratch, 'rnn-lab.vsix');
  run('npm', ['run', '--silent', 'package', '--', '--out', vsix]);
  console.log(`packaged ${path.basename(vsix)}: ${(statSync(vsix).size / 1024).toFixed(1)} KiB`);
  // The README's screenshots ship inside it (so the extension page shows them offline): keep the whole under 1 MB.
  if (statSync(vsix).size >= 1_000_000) throw new Error(`the .vsix is ${statSync(vsix).size} bytes: expected under 1 MB`);
  const extensionsDir = path.join(scratch, 'extensions');
  run(vscodeExecutablePath, ['--install-extension', vsix, `--extensions-dir=${extensionsDir}`]);
  const workspace = copyWorkspace();
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: path.join(__dirname, 'vsix-host'),
    extensionTestsPath: path.join(outDir, 'packaged', 'index.js'),
    launchArgs: [workspace, `--extensions-dir=${extensionsDir}`],
    extensionTestsEnv: { RNN_LAB_TEST_EXTENSIONS_DIR: extensionsDir },
  });
  rmSync(scratch, { recursive: true, force: true });
  rmSync(workspace, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const vscodeExecutablePath = resolveVscode();
  await buildSuites();
  const workspace = copyWorkspace();
  let failed = false;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outDir, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions'],
    });
  } catch (error) {
    failed = true;
    console.error(`integration suite failed: ${(error as Error).message}`);
  }
  rmSync(workspace, { recursive: true, force: true });
  if (process.env.RNN_LAB_SKIP_VSIX_TEST === '1' && process.env.CI) {
    console.log('RNN_LAB_SKIP_VSIX_TEST is ignored because CI is set: CI always tests the packaged .vsix.');
  }
  if (!skipPackagedSuite(process.env)) {
    try {
      await runPackagedSuite(vscodeExecutablePath);
    } catch (error) {
      failed = true;
      console.error(`packaged-extension suite failed: ${(error as Error).message}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
