// Builds every bundle whose entry exists: extension host, training and data-scan workers, CLI, benchmark (Node, CJS)
// and the webview (browser, IIFE). Type checking is `npm run typecheck` (tsc --noEmit).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { buildWasm } from './scripts/build-wasm.mjs';
import { buildPython } from './scripts/build-python.mjs';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

const nodeEntries = [
  ['src/extension/extension.ts', 'dist/extension.js'],
  ['src/train/trainingWorker.ts', 'dist/worker.js'],
  ['src/extension/dataScan/dataSizesWorker.ts', 'dist/dataSizes.js'],
  ['src/cli/main.ts', 'dist/cli.js'],
  ['bench/bench.ts', 'dist/bench.js'],
];
const browserEntries = [['webview/main.ts', 'dist/webview.js'],
  // The test build (integration tests click controls through it): never in a production build, never packaged.
  ...(production ? [] : [['webview/testHooks.ts', 'dist/webview.test.js']])];

// The wasm kernels first: the engine imports their bytes (src/engine/wasm/generated/kernelBytes.js).
await buildWasm();
// The Python an export writes (src/export/python/*.py → src/export/python/generated/pythonSources.js).
buildPython();

const jobs = [];
for (const [entry, outfile] of nodeEntries) {
  if (!existsSync(entry)) continue;
  jobs.push(build({ ...common, entryPoints: [entry], outfile, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'],
    // prefer ESM entries: jsonc-parser's UMD main requires './impl/*' dynamically, which a bundle cannot resolve
    mainFields: ['module', 'main'] }));
}
for (const [entry, outfile] of browserEntries) {
  if (!existsSync(entry)) continue;
  jobs.push(build({ ...common, entryPoints: [entry], outfile, platform: 'browser', format: 'iife', target: 'es2022', loader: { '.css': 'text' } }));
}
// The webview's stylesheet (with uPlot's), linked from the panel HTML so the CSP needs no inline styles.
const styleEntries = [['webview/styles.css', 'dist/webview.css']];
for (const [entry, outfile] of styleEntries) {
  if (!existsSync(entry)) continue;
  jobs.push(build({ ...common, entryPoints: [entry], outfile, target: 'chrome120' }));
}
await Promise.all(jobs);
