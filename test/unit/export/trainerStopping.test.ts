/**
 * train.py stops as RNN Lab stops. Its rules run under python3 beside the engine's on the same inputs:
 * - divergence: train.py's `Divergence` against `DivergenceDetector` (src/train/divergence.ts) on loss
 *   sequences (recovery, ties at the limit, patience capped by a short epoch, a zero baseline, off),
 *   and `diverged_message` against the engine's `diverged` message, number formatting included;
 * - early stopping: train.py's `EarlyStopping` against the engine's `watchedValue` and `judgeEpoch`
 *   (src/train/earlyStopping.ts) on sequences of epoch metrics: the epoch each stops at, the weights
 *   restored at the end (the last epoch written as best) and summary.json's best epoch;
 * - end to end: a run whose loss explodes (finite) stops as `diverged` in both, with the same message.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { modelPySource } from '../../../src/export/modelPy';
import { trainerSources } from '../../../src/export/trainerFiles';
import { parseSpec } from '../../../src/modelSpec';
import { DivergenceDetector, initialDivergenceState, type DivergenceOptions } from '../../../src/train/divergence';
import { judgeEpoch, watchedValue, type Monitor } from '../../../src/train/earlyStopping';
import { diverged } from '../../../src/train/epochLoop';
import type { Metrics } from '../../../src/train/events';
import type { TrainingState } from '../../../src/train/checkpoint';
import type { Optimizer } from '../../../src/engine/optimizers';
import { runPython, skipWithoutTorch, torchPython } from './python';

interface DivergenceCase { options: DivergenceOptions | null; batchesPerEpoch: number; losses: number[] }
const DIVERGENCE: DivergenceCase[] = [
  // trips on the 3rd exploded batch in a row, after a spike that recovered
  { options: { lossFactor: 100, patienceBatches: 3 }, batchesPerEpoch: 50, losses: [2.3, 2.1, 500, 1.9, 300, 230.1, 12345.678, 9e13, 1e20] },
  // exactly at the limit is not above it
  { options: { lossFactor: 2, patienceBatches: 2 }, batchesPerEpoch: 50, losses: [0.5, 1, 1, 1, 1.0000001, 1.0625, 7] },
  // an epoch of 2 batches caps the patience at 2
  { options: { lossFactor: 10, patienceBatches: 20 }, batchesPerEpoch: 2, losses: [1, 11, 12.3, 13] },
  // a zero baseline cannot be scaled: never trips
  { options: { lossFactor: 100, patienceBatches: 1 }, batchesPerEpoch: 10, losses: [0, 5, 1e9, 1e12] },
  // off
  { options: null, batchesPerEpoch: 10, losses: [1, 1e6, 1e9, 1e12] },
  // formatting: exponent boundary, ties (JavaScript rounds half up), tiny and huge losses
  { options: { lossFactor: 1.5, patienceBatches: 1 }, batchesPerEpoch: 10, losses: [1e-8, 1.234e-7] },
  { options: { lossFactor: 1000, patienceBatches: 1 }, batchesPerEpoch: 10, losses: [9.9995, 9999.5] },
  { options: { lossFactor: 1000, patienceBatches: 1 }, batchesPerEpoch: 10, losses: [12.25, 12250] },
  { options: { lossFactor: 2.5, patienceBatches: 1 }, batchesPerEpoch: 10, losses: [0.0625, 1234.5] },
];

/** `diverged` message inputs: training keys, epoch and batch (0-based), optimizer steps so far, what. */
const MESSAGES = [
  { learningRate: 3, clipNorm: null, epoch: 0, index: 2, steps: 2, what: 'the loss is NaN' },
  { learningRate: 0.00005, clipNorm: 0.5, epoch: 4, index: 0, steps: 117, what: 'the loss is Infinity' },
  { learningRate: 1e-7, clipNorm: 5, epoch: 11, index: 9, steps: 1000, what: 'a weight became non-finite' },
];

/** Metrics as the job carries them: NaN as null (JSON has no NaN). */
type Epoch = { train: Metrics; validation?: Metrics; exploding?: boolean };
interface StoppingCase {
  name: string;
  earlyStopping: { patience: number; minDelta: number; monitor: string } | null;
  /** The engine's parsed monitor (the trainer's `earlyStoppingMonitor`; undefined when early stopping is off). */
  monitor?: Monitor;
  epochs: Epoch[];
}
const v = (loss: number, extra: Metrics = {}): Metrics => ({ loss, ...extra });
const val = (xs: number[]): Epoch[] => xs.map((x) => ({ train: v(1), validation: v(x) }));
const STOPPING: StoppingCase[] = [
  { name: 'validation loss with a tie', earlyStopping: { patience: 2, minDelta: 0, monitor: 'validation loss' }, monitor: { split: 'validation', metric: 'loss' },
    epochs: val([1, 0.9, 0.9, 0.95, 0.8, 0.7]) },
  { name: 'minDelta: a small gain is a new best that does not reset the patience', earlyStopping: { patience: 3, minDelta: 0.125, monitor: 'validation loss' },
    monitor: { split: 'validation', metric: 'loss' }, epochs: val([1, 0.9375, 0.875, 0.75, 0.7, 0.69, 0.68, 0.5]) },
  { name: 'minDelta: a gain of exactly minDelta does not reset', earlyStopping: { patience: 2, minDelta: 0.25, monitor: 'validation loss' },
    monitor: { split: 'validation', metric: 'loss' }, epochs: val([1, 0.75, 0.5, 0.25, 0.125]) },
  { name: 'validation accuracy goes up; a tie does not improve', earlyStopping: { patience: 2, minDelta: 0, monitor: 'validation accuracy' },
    monitor: { split: 'validation', metric: 'accuracy' },
    epochs: [0.5, 0.6, 0.6, 0.7, 0.7, 0.7, 0.9].map((a, i) => ({ train: v(1), validation: v(1 - i / 10, { accuracy: a }) })) },
  { name: 'a tagger\'s "validation accuracy" is its tokenAccuracy', earlyStopping: { patience: 1, minDelta: 0.01, monitor: 'validation accuracy' },
    monitor: { split: 'validation', metric: 'tokenAccuracy' },
    epochs: [0.5, 0.55, 0.555, 0.6].map((a) => ({ train: v(1), validation: v(0.5, { tokenAccuracy: a }) })) },
  { name: 'tokenErrorRate goes down', earlyStopping: { patience: 2, minDelta: 0, monitor: 'validation tokenErrorRate' },
    monitor: { split: 'validation', metric: 'tokenErrorRate' },
    epochs: [0.5, 0.4, 0.45, 0.42, 0.3].map((r) => ({ train: v(1), validation: v(1, { tokenErrorRate: r, sequenceAccuracy: 1 - r }) })) },
  { name: 'a forecast error (rmse@2) goes down', earlyStopping: { patience: 2, minDelta: 0, monitor: 'validation rmse@2' },
    monitor: { split: 'validation', metric: 'rmse@2' },
    epochs: [9, 8, 8.5, 7, 7.5, 7.2].map((r) => ({ train: v(1), validation: v(1, { rmse: 5, 'rmse@1': 4, 'rmse@2': r, naiveRmse: 6 }) })) },
  { name: 'the train split, without validation data', earlyStopping: { patience: 2, minDelta: 0, monitor: 'train loss' }, monitor: { split: 'train', metric: 'loss' },
    epochs: [3, 2, 2.5, 1.5, 1.6, 1.7, 1].map((x) => ({ train: v(x) })) },
  { name: 'early stopping off: the best validation loss is kept, nothing stops', earlyStopping: null,
    epochs: val([1, 0.8, 0.9, 0.85, 0.95, 0.99, 1.2, 0.81]) },
  { name: 'nothing watched: every epoch is best but one inside an explosion', earlyStopping: null,
    epochs: [{ train: v(1) }, { train: v(0.9) }, { train: v(50), exploding: true }] },
  { name: 'an epoch inside an explosion never improves', earlyStopping: { patience: 2, minDelta: 0, monitor: 'validation loss' }, monitor: { split: 'validation', metric: 'loss' },
    epochs: [{ train: v(1), validation: v(1) }, { train: v(1), validation: v(0.5), exploding: true }, { train: v(1), validation: v(0.9) }, { train: v(1), validation: v(0.95) }] },
  { name: 'a NaN metric falls back to the loss; a NaN loss never improves', earlyStopping: { patience: 2, minDelta: 0, monitor: 'validation accuracy' },
    monitor: { split: 'validation', metric: 'accuracy' },
    epochs: [{ train: v(1), validation: v(-0.5, { accuracy: NaN }) }, { train: v(1), validation: v(NaN, { accuracy: NaN }) },
      { train: v(1), validation: v(-0.6, { accuracy: 0.1 }) }, { train: v(1), validation: v(1, { accuracy: 0.05 }) }, { train: v(1), validation: v(1, { accuracy: 0.7 }) }] },
];

interface Outcome { stoppedAt: number | null; restored: number | null; best: number | null }

/** The engine's decisions over a case's epochs, as the trainer's endEpoch takes them. */
function engineOutcome(c: StoppingCase): Outcome {
  const state: Pick<TrainingState, 'best' | 'epochsWithoutImprovement'> = { best: null, epochsWithoutImprovement: 0 };
  const outcome: Outcome = { stoppedAt: null, restored: null, best: null };
  for (const [i, epoch] of c.epochs.entries()) {
    const watched = watchedValue(c.monitor, epoch.train, epoch.validation);
    const verdict = judgeEpoch(state, i + 1, watched, c.earlyStopping, epoch.exploding ?? false);
    if (verdict.improved) outcome.best = i + 1;
    if (verdict.newBest) outcome.restored = i + 1;
    if (verdict.stop) {
      outcome.stoppedAt = i + 1;
      break;
    }
  }
  return outcome;
}

const SCRIPT = `
import json, math, sys
sys.path.insert(0, sys.argv[1])
import train
job = json.load(open(sys.argv[2]))
nan = lambda m: None if m is None else {k: float("nan") if x is None else x for k, x in m.items()}
out = {"divergence": [], "messages": [], "stopping": []}
for case in job["divergence"]:
    detector = train.Divergence(case["options"], case["batchesPerEpoch"])
    out["divergence"].append([[detector.observe(loss), detector.exploding] for loss in case["losses"]])
for m in job["messages"]:
    training = {"optimizer": {"learningRate": m["learningRate"]}, "clipNorm": m["clipNorm"]}
    out["messages"].append(train.diverged_message(training, m["epoch"], m["index"], m["steps"], m["what"]))
for case in job["stopping"]:
    stopping = train.EarlyStopping(case["earlyStopping"])
    outcome = {"stoppedAt": None, "restored": None, "best": None}
    for i, epoch in enumerate(case["epochs"]):
        watched = stopping.watched(nan(epoch["train"]), nan(epoch.get("validation")))
        improved, new_best, stop = stopping.judge_epoch(i + 1, watched, epoch.get("exploding", False))
        if improved:
            outcome["best"] = i + 1
        if new_best:
            outcome["restored"] = i + 1
        if stop:
            outcome["stoppedAt"] = i + 1
            break
    out["stopping"].append(outcome)
print(json.dumps(out))
`;

const NETWORK = { task: 'many-to-one', cell: 'rnn', activation: 'tanh', hiddenSize: 1, layers: 1, bidirectional: false, merge: 'concat', connections: 'none', dropout: 0, recurrentInit: 'orthogonal', input: { kind: 'features', size: 1 }, output: { kind: 'classes', size: 1 } } as const;

/** JSON with NaN written as null. */
const withNulls = (value: unknown) => JSON.stringify(value, (_, x) => (typeof x === 'number' && Number.isNaN(x) ? null : x));

describe('export --trainer: train.py stops as RNN Lab stops', function () {
  this.timeout(180000);
  let found: ReturnType<typeof torchPython>;
  let python: { divergence: [string | null, boolean][][]; messages: string[]; stopping: Outcome[] };

  before(function () {
    found = torchPython();
    if ('missing' in found) return skipWithoutTorch(this, found.missing);
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-stopping-'));
    try {
      writeFileSync(path.join(dir, 'model.py'), modelPySource({ ...NETWORK }, { name: 'stopping' }));
      for (const [name, text] of Object.entries(trainerSources(undefined))) writeFileSync(path.join(dir, name), text);
      writeFileSync(path.join(dir, 'job.json'), withNulls({ divergence: DIVERGENCE, messages: MESSAGES, stopping: STOPPING }));
      writeFileSync(path.join(dir, 'check.py'), SCRIPT);
      python = JSON.parse(runPython(found.python, [path.join(dir, 'check.py'), dir, path.join(dir, 'job.json')]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the lossFactor rule trips at the same batch with the same words as the engine\'s DivergenceDetector', function () {
    DIVERGENCE.forEach((c, i) => {
      const detector = new DivergenceDetector(c.options, initialDivergenceState(), c.batchesPerEpoch);
      const engine = c.losses.map((loss) => [detector.observe(loss) ?? null, detector.exploding]);
      assert.deepEqual(python.divergence[i], engine, `case ${i} ${JSON.stringify(c)}`);
    });
    assert.ok(python.divergence.flat().some(([message]) => message), 'some case trips');
  });

  it('a diverged run\'s message is the engine\'s, word for word', function () {
    MESSAGES.forEach((m, i) => {
      const spec = parseSpec(JSON.stringify({
        version: 1, name: 'm', task: 'many-to-one', data: { train: 'x.jsonl' }, model: { cell: 'rnn', hiddenSize: 2 },
        training: { optimizer: { type: 'sgd', learningRate: m.learningRate }, clipNorm: m.clipNorm },
      }), 'm.rnn.json');
      let engine = '';
      try {
        diverged(spec, 'm.rnn.json', { stepCount: m.steps } as Optimizer, m.epoch, m.index, m.what);
      } catch (error) {
        engine = (error as Error).message;
      }
      assert.equal(python.messages[i], engine);
    });
  });

  for (const [i, c] of STOPPING.entries()) {
    it(`early stopping agrees with the engine: ${c.name}`, function () {
      assert.deepEqual(python.stopping[i], engineOutcome(c));
    });
  }
});
