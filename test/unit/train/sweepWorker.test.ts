/** A sweep trial in the training worker (dist/worker.js): the host decides median stopping after each epoch. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TrainingSession } from '../../../src/protocol/trainingSession';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import { readJson } from '../../../src/train/runStore';
import type { Summary } from '../../../src/train/runTypes';
import { encoder } from './trainHarness';
import { lmSpec, pseudoText } from './trainerSetup';

const workerPath = path.resolve('dist/worker.js');

describe('sweep trial in the training worker', function () {
  this.timeout(60000);
  before(function () {
    if (!existsSync(workerPath)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  });

  it('asks the host after every epoch (epochEnd) and stops with status stopped when told to; records sweep and threads', async () => {
    const store = new PostingRunStore(() => undefined);
    const asked: [number, number | undefined][] = [];
    const session = new TrainingSession({
      workerPath, store, memoryLimitMb: 512, onEvent: () => undefined,
      start: {
        type: 'start', specText: lmSpec({ epochs: 5 }), specPath: 'lm.rnn.json', files: { 'text.txt': encoder.encode(pseudoText(1500, 2)) },
        runId: 'trial', sweep: { id: 'sw', trial: 2, parameters: { 'model.hiddenSize': 16 } }, threads: 1, askStopAfterEpoch: true,
      },
      stopAfterEpoch: (epoch, monitored) => {
        asked.push([epoch, monitored]);
        return epoch === 2;
      },
    });
    const result = await session.result;
    assert.equal(result.status, 'done', result.message);
    assert.deepEqual(asked.map(([epoch]) => epoch), [1, 2]);
    assert.ok(asked.every(([, monitored]) => typeof monitored === 'number' && Number.isFinite(monitored)), 'the validation loss of each epoch');
    const summary = await readJson<Summary>(store, 'trial/summary.json');
    assert.equal(summary.status, 'stopped');
    assert.equal(summary.completedEpochs, 2);
    assert.deepEqual(summary.sweep, { id: 'sw', trial: 2, parameters: { 'model.hiddenSize': 16 } });
    assert.equal(summary.threads, 1);
  });
});
