#!/usr/bin/env node
// `npm run bench:examples`: end to end, a whole `rnn-lab train` of each bundled example
// (examples/*/*.rnn.json) against the equivalent PyTorch script doing the same work: the run's own
// `export --trainer` train.py (same spec, same batches, same epochs, PyTorch's initialisation).
// Each side runs on 1 thread and on N = os.availableParallelism(): the engine with `--threads T`,
// PyTorch with `train.py --threads T` (torch.set_num_threads) and OMP_NUM_THREADS / OPENBLAS_NUM_THREADS
// set to T. Timed: the wall seconds of the whole process (start-up, data, training, final evaluation).
// The four runs of an example alternate (engine 1, PyTorch 1, engine N, PyTorch N, then the next round)
// so both sides see the same machine load; with --rounds R each time is the median of R.
// An example `--trainer` refuses (exit 2) keeps its engine times and shows the refusal instead of PyTorch's.
// PyTorch runs with glibc's malloc told to keep freed memory (MALLOC_MMAP_THRESHOLD_ at its 32 MiB
// maximum, MALLOC_TRIM_THRESHOLD_ 4 GiB): with the defaults, the buffers of each step's autograd graph
// are mmapped, unmapped and page-faulted again every step, which made train.py's steps 3-5x slower here
// (genesis, 1 thread). --glibc-malloc keeps glibc's defaults.
// PyTorch on N threads can be many times slower than on 1 on a loaded machine (its OpenMP and OpenBLAS
// threads wait for cores others hold): such a run is stopped after --limit F times the 1-thread run's
// wall time of the same round (default 5; 0: never) and reported as a lower bound (`>`, `limited`).
//
//   node bench/examples.mjs [--examples digits,colors] [--epochs N] [--rounds R] [--limit F] [--glibc-malloc] [--json]
//   (--examples: folder names under examples/ or spec names; --epochs overrides every spec's epochs on
//   both sides, for quick runs; --json: one JSON object per example instead of the table)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const CLI = here('../dist/cli.js');
const EXAMPLES = here('../examples');
// Debian's python3-torch lives in the system interpreter, which may not be the first python3 on PATH.
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
/** glibc malloc settings for the PyTorch runs (see the top). */
const KEEP_FREED_MEMORY = { MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(2 ** 32) };
/** The metric a row shows for each side, the first the run reports. */
const HEADLINE = ['accuracy', 'tokenAccuracy', 'bitsPerChar', 'bitsPerToken', 'rmse', 'loss'];

const { values } = parseArgs({
  options: {
    examples: { type: 'string', default: '' },
    epochs: { type: 'string', default: '' },
    rounds: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'glibc-malloc': { type: 'boolean', default: false },
    limit: { type: 'string', default: '5' },
  },
});
const fail = (message) => {
  console.error(message);
  process.exit(2);
};
const positive = (text, flag) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`${flag} takes a positive integer, got ${text}`);
  return n;
};
const epochs = values.epochs ? positive(values.epochs, '--epochs') : undefined;
const rounds = positive(values.rounds, '--rounds');
const mallocEnv = values['glibc-malloc'] ? {} : KEEP_FREED_MEMORY;
const limit = Number(values.limit);
if (!(limit >= 0)) fail(`--limit takes a number >= 0, got ${values.limit}`);
const threadCounts = [...new Set([1, availableParallelism()])];
if (!existsSync(CLI)) fail('dist/cli.js is missing: run `npm run build` first (npm run bench:examples does).');

/** Every bundled example: { name (its folder), spec (path) }. */
function bundledExamples() {
  return readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) =>
    readdirSync(join(EXAMPLES, d.name)).filter((f) => f.endsWith('.rnn.json')).map((f) => ({ name: d.name, spec: join(EXAMPLES, d.name, f) })));
}
const all = bundledExamples();
const wanted = values.examples ? values.examples.split(',').map((s) => s.trim()).filter(Boolean) : [];
const unknown = wanted.filter((w) => !all.some((e) => e.name === w || basename(e.spec, '.rnn.json') === w));
if (unknown.length) fail(`--examples: no bundled example ${unknown.map((u) => `"${u}"`).join(', ')}; expected some of ${all.map((e) => e.name).join(', ')}`);
const selected = wanted.length ? all.filter((e) => wanted.includes(e.name) || wanted.includes(basename(e.spec, '.rnn.json'))) : all;

/** Runs a process to its end, or `timeoutMs`: { seconds (wall), status, stdout, stderr, events (its JSON lines), timedOut }. */
function timed(command, args, env, timeoutMs) {
  const started = process.hrtime.bigint();
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, ...env }, timeout: timeoutMs });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.error?.code === 'ETIMEDOUT') return { seconds, timedOut: true };
  if (child.error) throw child.error;
  const events = child.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  return { seconds, status: child.status, stdout: child.stdout, stderr: child.stderr, events };
}

const lastLine = (text) => text.trim().split('\n').filter(Boolean).pop() ?? '';
const epochArgs = epochs === undefined ? [] : ['--epochs', String(epochs)];

/** One engine training on `threads`: { seconds, run (its folder), metrics, split, completedEpochs }. */
function engineRun(example, threads, dir) {
  const r = timed(process.execPath, [CLI, 'train', example.spec, '--json', '--threads', String(threads), '--runs-dir', join(dir, `engine-${threads}`), ...epochArgs]);
  const done = r.events.find((e) => e.event === 'done');
  if (r.status !== 0 || !done) throw new Error(`rnn-lab train ${example.spec} --threads ${threads} exited ${r.status}: ${lastLine(r.stdout)} ${lastLine(r.stderr)}`);
  const summary = JSON.parse(readFileSync(join(done.run, 'summary.json'), 'utf8'));
  return { seconds: r.seconds, trainingSeconds: summary.elapsedMs / 1000, run: done.run, metrics: done.metrics, split: done.split, completedEpochs: summary.completedEpochs, threads: summary.threads };
}

/** `export --trainer` of a run into `out`; { refused: message } when the export refuses the spec. */
function exportTrainer(run, out) {
  const r = timed(process.execPath, [CLI, 'export', run, '--trainer', '--out', out]);
  if (r.status === 0) return { out };
  if (r.status === 2) return { refused: lastLine(r.stderr) || lastLine(r.stdout) };
  throw new Error(`rnn-lab export ${run} --trainer exited ${r.status}: ${lastLine(r.stderr)}`);
}

/** One train.py training on `threads`: { seconds, metrics, split, completedEpochs }, or { seconds, limited } when stopped at `limitSeconds`. */
function pytorchRun(exported, threads, dir, limitSeconds) {
  const out = join(dir, `pytorch-${threads}`);
  const n = String(threads);
  const r = timed(PYTHON, [join(exported, 'train.py'), '--out', out, '--threads', n, ...epochArgs], { OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, ...mallocEnv },
    limitSeconds && Math.ceil(limitSeconds * 1000));
  if (r.timedOut) return { seconds: r.seconds, limited: true };
  const done = r.events.find((e) => e.event === 'done');
  if (r.status !== 0 || !done) throw new Error(`train.py --threads ${threads} exited ${r.status}: ${lastLine(r.stderr)}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  return { seconds: r.seconds, trainingSeconds: summary.elapsedMs / 1000, metrics: done.metrics, split: done.split, completedEpochs: summary.completedEpochs, threads: summary.threads };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const headline = (metrics) => {
  const name = HEADLINE.find((m) => typeof metrics?.[m] === 'number');
  return name === undefined ? undefined : { name, value: metrics[name] };
};

/** All rounds of one example: a JSON row. */
function benchExample(example) {
  const dir = mkdtempSync(join(tmpdir(), `rnn-lab-bench-${example.name}-`));
  try {
    const times = { engine: {}, pytorch: {} };
    const training = { engine: {}, pytorch: {} };
    const engineThreads = {};
    const limited = {};
    let engineLast, pytorchLast, refused, exported;
    for (let round = 1; round <= rounds; round++) {
      for (const threads of threadCounts) {
        console.error(`${example.name}: round ${round}/${rounds}, engine --threads ${threads}…`);
        rmSync(join(dir, `engine-${threads}`), { recursive: true, force: true });
        engineLast = engineRun(example, threads, dir);
        (times.engine[threads] ??= []).push(engineLast.seconds);
        (training.engine[threads] ??= []).push(engineLast.trainingSeconds);
        engineThreads[threads] = engineLast.threads;
        if (!exported && !refused) {
          const result = exportTrainer(engineLast.run, join(dir, 'exported'));
          if ('refused' in result) refused = result.refused;
          else exported = result.out;
        }
        if (refused) continue;
        console.error(`${example.name}: round ${round}/${rounds}, PyTorch --threads ${threads}…`);
        rmSync(join(dir, `pytorch-${threads}`), { recursive: true, force: true });
        const oneThread = times.pytorch[1]?.[round - 1];
        const run = pytorchRun(exported, threads, dir, threads > 1 && limit > 0 && oneThread ? limit * oneThread : undefined);
        (times.pytorch[threads] ??= []).push(run.seconds);
        if (run.limited) {
          limited[threads] = true;
          console.error(`${example.name}: PyTorch --threads ${threads} stopped after ${run.seconds.toFixed(1)} s (--limit ${limit} × the 1-thread run)`);
          continue;
        }
        pytorchLast = run;
        (training.pytorch[threads] ??= []).push(run.trainingSeconds);
        if (run.threads !== threads) throw new Error(`train.py ran on ${run.threads} threads, not ${threads} (an export from before train.py --threads?)`);
      }
    }
    const medians = (table) => Object.fromEntries(Object.entries(table).map(([t, xs]) => [t, median(xs)]));
    const engine = medians(times.engine);
    const pytorch = refused ? undefined : medians(times.pytorch);
    return {
      example: example.name, spec: basename(example.spec), rounds, threads: threadCounts, engineThreads, pytorchMalloc: mallocEnv,
      epochs: { engine: engineLast.completedEpochs, pytorch: pytorchLast?.completedEpochs },
      seconds: { engine, pytorch },
      trainingSeconds: { engine: medians(training.engine), pytorch: refused ? undefined : medians(training.pytorch) },
      ratio: pytorch ? Object.fromEntries(threadCounts.map((t) => [t, engine[t] / pytorch[t]])) : undefined,
      metrics: { engine: { split: engineLast.split, ...engineLast.metrics }, pytorch: pytorchLast && { split: pytorchLast.split, ...pytorchLast.metrics } },
      ...(Object.keys(limited).length ? { limited } : {}),
      ...(refused ? { refused } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadAverage = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = loadAverage();
const torchVersion = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
if (torchVersion.status !== 0) fail(`PyTorch not found for ${PYTHON} (Debian: apt-get install python3-torch); set $PYTHON to an interpreter that has it.`);
const rows = [];
for (const example of selected) {
  const row = benchExample(example);
  rows.push(row);
  if (values.json) console.log(JSON.stringify(row));
}
if (!values.json) {
  const [one, many] = [threadCounts[0], threadCounts.at(-1)];
  const s = (x, bound = false) => (x === undefined ? '—' : `${bound ? '>' : ''}${x.toFixed(1)}`);
  const ratio = (row, t) => (row.ratio ? `${row.limited?.[t] ? '<' : ''}${row.ratio[t].toFixed(2)}×` : '—');
  const metric = (m) => {
    const h = headline(m);
    return h ? `${h.name} ${h.value.toFixed(4)} (${m.split})` : '—';
  };
  const header = ['example', 'epochs', `engine ×${one} s`, `PyTorch ×${one} s`, `ratio ×${one}`, `engine ×${many} s`, `PyTorch ×${many} s`, `ratio ×${many}`, 'engine metric', 'PyTorch metric'];
  const lines = rows.map((row) => [
    row.example, row.epochs.pytorch === undefined || row.epochs.pytorch === row.epochs.engine ? String(row.epochs.engine) : `${row.epochs.engine} / ${row.epochs.pytorch}`,
    s(row.seconds.engine[one]), s(row.seconds.pytorch?.[one]), ratio(row, one),
    s(row.seconds.engine[many]), s(row.seconds.pytorch?.[many], row.limited?.[many]), ratio(row, many),
    metric(row.metrics.engine), row.refused ? `refused: ${row.refused}` : metric(row.metrics.pytorch),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log(`Wall seconds of the whole process${rounds > 1 ? `, median of ${rounds} alternating rounds` : ''}; ratio = engine / PyTorch ` +
    `(below 1: the engine is faster). Metrics: the run's final (best-weights) evaluation, on test when the spec has it. ` +
    `PyTorch's malloc: ${values['glibc-malloc'] ? "glibc's defaults" : Object.entries(mallocEnv).map(([k, x]) => `${k}=${x}`).join(' ')}.`);
}
console.error(`CPU: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} available; PyTorch ${torchVersion.stdout.trim()} (${PYTHON}); ` +
  `load average (1, 5, 15 min): ${loadBefore} before, ${loadAverage()} after.`);
