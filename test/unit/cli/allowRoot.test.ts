/**
 * `--allow-root <dir>`: every spec, data and run path the CLI opens must resolve (symlinks included)
 * under a root, else exit 2 naming the path and the roots. The built CLI is spawned as the extension
 * runs it; FileAccess is also checked directly.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileAccess } from '../../../src/cli/fileAccess';
import { realPathOf } from '../../../src/fs/realPath';

const cli = path.resolve('dist/cli.js');
const SECRET = 'SECRET-KEY-LINE-0123456789';

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** <tmp>/ws (the root: a spec and its text) beside <tmp>/outside (a secret, and a spec naming it). */
function layout() {
  const top = realpathSync(mkdtempSync(path.join(tmpdir(), 'rnn-lab-allow-root-')));
  const ws = path.join(top, 'ws');
  const outside = path.join(top, 'outside');
  mkdirSync(ws);
  mkdirSync(outside);
  let text = '';
  for (let i = 0; text.length < 2000; i++) text += ['in the beginning ', 'and the earth ', 'was without form ', 'and void. '][(i * 7) % 4];
  writeFileSync(path.join(ws, 'text.txt'), text);
  writeFileSync(path.join(outside, 'secret.txt'), `${SECRET}\n`.repeat(50));
  const spec = (train: string) => JSON.stringify({
    task: 'many-to-many', data: { train, sequenceLength: 10 },
    model: { cell: 'rnn', hiddenSize: 6, embeddingSize: 0 }, training: { epochs: 1, batchSize: 8 },
  }, null, 2);
  writeFileSync(path.join(ws, 'lm.rnn.json'), spec('text.txt'));
  writeFileSync(path.join(ws, 'escape.rnn.json'), spec('../outside/secret.txt'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link.txt'));
  writeFileSync(path.join(ws, 'symlinked.rnn.json'), spec('link.txt'));
  writeFileSync(path.join(outside, 'foreign.rnn.json'), spec('secret.txt'));
  return { top, ws, outside };
}

/** Exit 2, a message naming the refused path and the root, and nothing of the secret anywhere. */
function assertRefused(r: ReturnType<typeof run>, refused: string, root: string): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  assert.ok(r.stderr.includes(refused), `names ${refused}: ${r.stderr}`);
  assert.match(r.stderr, /outside the allowed roots/);
  assert.ok(r.stderr.includes(`--allow-root ${root}`), `names the root: ${r.stderr}`);
  assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'the secret is not shown');
}

describe('rnn-lab --allow-root', function () {
  this.timeout(120000);
  let dirs: ReturnType<typeof layout>;
  let trainedRun: string;

  before(function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    dirs = layout();
    const r = run(['train', 'lm.rnn.json', '--json', '--allow-root', dirs.ws], dirs.ws);
    assert.equal(r.code, 0, `a spec and data inside the root train: ${r.stderr}`);
    trainedRun = JSON.parse(r.stdout.trim().split('\n').at(-1)!).run;
  });

  it('every command that opens specs, data or runs takes --allow-root', () => {
    for (const command of ['train', 'eval', 'sample', 'predict', 'gradcheck', 'init', 'export', 'import']) {
      assert.match(run([command, '--help'], dirs.ws).stdout, /--allow-root <dir>/, command);
    }
  });

  it('refuses a data path that climbs out of the root with ../ (gradcheck, train)', () => {
    const secret = path.join(dirs.outside, 'secret.txt');
    for (const command of ['gradcheck', 'train']) {
      assertRefused(run([command, 'escape.rnn.json', '--allow-root', dirs.ws], dirs.ws), secret, dirs.ws);
    }
    // without the option the same spec reads the file: the refusal is the option's doing
    assert.equal(run(['gradcheck', 'escape.rnn.json'], dirs.ws).code, 0);
  });

  it('refuses a symlink inside the root that points outside it', () => {
    const r = run(['gradcheck', 'symlinked.rnn.json', '--allow-root', dirs.ws], dirs.ws);
    assertRefused(r, path.join(dirs.ws, 'link.txt'), dirs.ws);
    assert.match(r.stderr, /through a symlink/);
    assert.equal(run(['gradcheck', 'symlinked.rnn.json'], dirs.ws).code, 0);
    assertRefused(run(['init', 'link.txt', '--allow-root', dirs.ws], dirs.ws), path.join(dirs.ws, 'link.txt'), dirs.ws);
  });

  it('refuses a spec outside the roots, and accepts it once its folder is a root too (repeatable)', () => {
    const foreign = path.join(dirs.outside, 'foreign.rnn.json');
    assertRefused(run(['gradcheck', foreign, '--allow-root', dirs.ws], dirs.ws), foreign, dirs.ws);
    const both = run(['gradcheck', foreign, '--allow-root', dirs.ws, '--allow-root', dirs.outside], dirs.ws);
    assert.equal(both.code, 0, both.stderr);
  });

  it('a root given through a symlink is its real folder', () => {
    const alias = path.join(dirs.top, 'alias');
    symlinkSync(dirs.ws, alias);
    const r = run(['gradcheck', path.join(alias, 'lm.rnn.json'), '--allow-root', alias], dirs.ws);
    assert.equal(r.code, 0, r.stderr);
    assertRefused(run(['gradcheck', 'escape.rnn.json', '--allow-root', alias], dirs.ws), path.join(dirs.outside, 'secret.txt'), realPathOf(dirs.ws));
  });

  it('eval: a foreign run folder whose summary.specFile points outside the roots is refused', () => {
    const evil = path.join(path.dirname(trainedRun), 'evil');
    cpSync(trainedRun, evil, { recursive: true });
    const summary = JSON.parse(readFileSync(path.join(evil, 'summary.json'), 'utf8'));
    summary.specFile = '../../../../outside/foreign.rnn.json';
    writeFileSync(path.join(evil, 'summary.json'), JSON.stringify(summary));
    assertRefused(run(['eval', evil, '--json', '--allow-root', dirs.ws], dirs.ws), path.join(dirs.outside, 'foreign.rnn.json'), dirs.ws);
  });

  it('eval: a run whose stored spec names data outside the roots is refused, without showing a line of it', () => {
    const evil = path.join(path.dirname(trainedRun), 'evil-data');
    cpSync(trainedRun, evil, { recursive: true });
    const spec = JSON.parse(readFileSync(path.join(evil, 'spec.json'), 'utf8'));
    spec.data.test = '../outside/secret.txt';
    writeFileSync(path.join(evil, 'spec.json'), JSON.stringify(spec));
    const r = run(['eval', evil, '--json', '--allow-root', dirs.ws], dirs.ws);
    assertRefused(r, path.join(dirs.outside, 'secret.txt'), dirs.ws);
    assert.equal(JSON.parse(r.stdout.trim()).event, 'error', '--json ends with an error line');
    assert.equal(run(['eval', evil, '--json'], dirs.ws).code, 0, 'without the option the run evaluates');
  });

  it('eval, sample, predict and export of a run inside the root work; a run folder outside is refused', () => {
    const args = (command: string, runFolder: string) => ({
      eval: ['eval', runFolder, '--json'], sample: ['sample', runFolder, '--length', '5'],
      predict: ['predict', runFolder, '--input', '"and"'], export: ['export', runFolder, '--out', path.join(dirs.ws, 'exported')],
    })[command]!;
    const foreignRun = path.join(dirs.outside, 'run');
    cpSync(trainedRun, foreignRun, { recursive: true });
    for (const command of ['eval', 'sample', 'predict', 'export']) {
      const ok = run([...args(command, trainedRun), '--allow-root', dirs.ws], dirs.ws);
      assert.equal(ok.code, 0, `${command}: ${ok.stderr}`);
      const refused = run([...args(command, foreignRun), '--allow-root', dirs.ws], dirs.ws);
      assert.equal(refused.code, 2, `${command}: ${refused.stderr}`);
      assert.ok(refused.stderr.includes(foreignRun) && refused.stderr.includes(`--allow-root ${dirs.ws}`), `${command}: ${refused.stderr}`);
    }
  });

  it('a symlinked file inside a run folder is refused', () => {
    const evil = path.join(path.dirname(trainedRun), 'evil-link');
    cpSync(trainedRun, evil, { recursive: true });
    const vocab = path.join(evil, 'vocab.json');
    writeFileSync(path.join(dirs.outside, 'vocab.json'), readFileSync(vocab));
    rmSync(vocab);
    symlinkSync(path.join(dirs.outside, 'vocab.json'), vocab);
    assertRefused(run(['sample', evil, '--length', '5', '--allow-root', dirs.ws], dirs.ws), vocab, dirs.ws);
    assert.equal(run(['sample', evil, '--length', '5'], dirs.ws).code, 0);
  });

  it('import: weights outside the root are refused, inside they import', () => {
    const weights = path.join(dirs.outside, 'weights.safetensors');
    cpSync(path.join(trainedRun, 'last.safetensors'), weights);
    assertRefused(run(['import', 'lm.rnn.json', '--weights', weights, '--allow-root', dirs.ws], dirs.ws), weights, dirs.ws);
    const inside = path.join(dirs.ws, 'weights.safetensors');
    cpSync(weights, inside);
    const r = run(['import', 'lm.rnn.json', '--weights', inside, '--allow-root', dirs.ws], dirs.ws);
    assert.equal(r.code, 0, r.stderr);
  });

  it('train --runs-dir outside the root is refused, and writes nothing there', () => {
    const runsDir = path.join(dirs.outside, 'runs');
    const r = run(['train', 'lm.rnn.json', '--runs-dir', runsDir, '--allow-root', dirs.ws], dirs.ws);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(runsDir) && r.stderr.includes('outside the allowed roots'), r.stderr);
    assert.equal(existsSync(runsDir), false);
  });

  it('predict --file outside the root is refused', () => {
    const file = path.join(dirs.outside, 'secret.txt');
    assertRefused(run(['predict', trainedRun, '--file', file, '--allow-root', dirs.ws], dirs.ws), file, dirs.ws);
  });

  it('an --allow-root that is not a folder is bad input', () => {
    const r = run(['gradcheck', 'lm.rnn.json', '--allow-root', path.join(dirs.top, 'nowhere')], dirs.ws);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nowhere: no such folder/);
  });
});

describe('FileAccess', () => {
  it('judges a missing file by the real folder it would be in, and a dangling symlink by its target', () => {
    const { top, ws, outside } = layout();
    symlinkSync(outside, path.join(ws, 'out-dir'));
    symlinkSync(path.join(outside, 'not-yet.txt'), path.join(ws, 'dangling.txt'));
    const files = FileAccess.fromOptions({ allowRoot: [ws] });
    assert.equal(files.check(path.join(ws, 'new', 'file.txt')), path.join(ws, 'new', 'file.txt'));
    assert.throws(() => files.check(path.join(ws, 'out-dir', 'missing.txt')), /outside the allowed roots/);
    assert.throws(() => files.check(path.join(ws, 'dangling.txt')), /outside the allowed roots/);
    assert.throws(() => files.check(path.join(ws, '..', 'outside', 'secret.txt')), /outside the allowed roots/);
    assert.throws(() => files.check(`${ws}-sibling/file.txt`), /outside the allowed roots/, 'a sibling sharing the prefix is not inside');
    assert.equal(realPathOf(path.join(ws, 'dangling.txt')), path.join(realPathOf(outside), 'not-yet.txt'));
    assert.doesNotThrow(() => FileAccess.unrestricted.check(path.join(top, 'anything')));
  });
});
