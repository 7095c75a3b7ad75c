#!/usr/bin/env node
// `npm test`: type-checks, then runs every suite that exists (unit, webview, integration), streams
// each one's own output, and ends with one line of totals over all of them: "N passed, N failed".
// Each type check counts as one test. A suite that exits non-zero without reporting a failing
// count is counted as one failure.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts;
const suites = ['test:unit', 'test:webview', 'test:integration'].filter((s) => scripts[s]);
const only = process.argv.slice(2);

const tsc = new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname;
/**
 * The type checks, one test each. src/engine has its own tsconfig (lib ES2022, no `types`,
 * `noResolve`): a DOM or Node global, or an import from outside src/engine (`vscode`, `node:*`, an
 * npm package, ../modelSpec), fails it, so the engine's purity is checked rather than stated.
 */
const typeChecks = {
  'typecheck': [tsc, '-p', '.', '--noEmit'],
  'typecheck:engine': [tsc, '-p', 'src/engine', '--noEmit'],
};

function runSuite(name) {
  return new Promise((resolve) => {
    const [command, ...args] = typeChecks[name] ? [process.execPath, ...typeChecks[name]] : ['npm', 'run', '--silent', name];
    const child = spawn(command, args, { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const relay = (stream, out) => stream.on('data', (chunk) => { text += chunk; out.write(chunk); });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on('close', (code) => {
      // eslint-disable-next-line no-control-regex
      const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
      const count = (re) => [...plain.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
      const check = Boolean(typeChecks[name]);
      const passed = check ? Number(code === 0) : count(/^\s*(\d+) passing/gm);
      let failed = check ? Number(code !== 0) : count(/^\s*(\d+) failing/gm);
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ name, code, passed, failed });
    });
  });
}

// Debian packages the suites need (chromium, python3-torch, …): installed with apt-get when root,
// otherwise the script prints the exact command and we stop here.
const deps = spawnSync('bash', [new URL('./install-system-deps.sh', import.meta.url).pathname], { stdio: 'inherit' });
if (deps.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
const lines = [];
for (const suite of [...Object.keys(typeChecks), ...suites]) {
  if (only.length && !only.some((o) => suite.endsWith(o))) continue;
  console.log(`\n=== ${suite} ===`);
  const r = await runSuite(suite);
  passed += r.passed;
  failed += r.failed;
  lines.push(`${suite}: ${r.passed} passed, ${r.failed} failed (exit ${r.code})`);
}
console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
