/**
 * train.py's optimizers and schedules are RNN Lab's: for every optimizer type (with momentum, Nesterov,
 * weight decay that spares biases, AdamW's decoupled decay), three steps of torch.optim built by
 * train.py's `make_optimizer` from the resolved spec move the weights as the engine's optimizer does
 * (float32 tolerance); `learning_rate_at` equals the engine's `learningRateAt` for every schedule.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createOptimizer, learningRateAt, type ScheduleConfig } from '../../../src/engine/optimizers';
import { typescriptBackend } from '../../../src/engine/kernels/backend';
import type { Param } from '../../../src/engine/types';
import { modelPySource } from '../../../src/export/modelPy';
import { trainerSources } from '../../../src/export/trainerFiles';
import { parseSpec } from '../../../src/modelSpec';
import { runPython, skipWithoutTorch, torchPython } from './python';

const OPTIMIZERS = [
  { type: 'sgd', learningRate: 0.1 },
  { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
  { type: 'adam', learningRate: 0.01, weightDecay: 0.1 },
  { type: 'adamw', learningRate: 0.01, weightDecay: 0.1, beta1: 0.8 },
  { type: 'adagrad', learningRate: 0.05, weightDecay: 0.01 },
  { type: 'rmsprop', learningRate: 0.01, momentum: 0.5, alpha: 0.9, weightDecay: 0.01 },
];
const SCHEDULES: ScheduleConfig[] = [{ type: 'constant' }, { type: 'step', stepSize: 3, gamma: 0.5 }, { type: 'cosine', minLearningRate: 0.001 }];
const GRADS = [[0.5, -1, 2, 0.25], [-0.3, 0.7, 1.5, -2], [1, 1, -1, 0.1]];
const LEARNING_RATES = [1, 0.5, 0.25];

const SCRIPT = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import torch
import train
job = json.load(open(sys.argv[2]))
out = {"weights": [], "rates": []}
for config in job["optimizers"]:
    module = torch.nn.Linear(3, 1)
    with torch.no_grad():
        module.weight.copy_(torch.tensor([[0.3, -0.2, 0.9]]))
        module.bias.copy_(torch.tensor([0.4]))
    optimizer = train.make_optimizer(config, module)
    for grad, rate in zip(job["grads"], job["rates"]):
        module.weight.grad = torch.tensor([grad[:3]], dtype=torch.float32)
        module.bias.grad = torch.tensor([grad[3]], dtype=torch.float32)
        for group in optimizer.param_groups:
            group["lr"] = config["learningRate"] * rate
        optimizer.step()
    out["weights"].append(module.weight.flatten().tolist() + module.bias.tolist())
for schedule in job["schedules"]:
    out["rates"].append([train.learning_rate_at(schedule, 0.1, e, 7) for e in range(9)])
print(json.dumps(out))
`;

describe('export --trainer: train.py optimizes and schedules as RNN Lab', function () {
  this.timeout(120000);
  it('three steps of every optimizer match the engine, and every schedule gives the engine\'s rates', function () {
    const found = torchPython();
    if ('missing' in found) return skipWithoutTorch(this, found.missing);
    // The resolved optimizer configs (every default filled in), as train.py reads them from spec.json.
    const resolved = OPTIMIZERS.map((optimizer) => parseSpec(JSON.stringify({
      version: 1, name: 'o', task: 'many-to-one', data: { train: 'x.jsonl' }, model: { cell: 'rnn', hiddenSize: 2 }, training: { optimizer, schedule: { type: 'step', stepSize: 3 } },
    }), 'o.rnn.json').training.optimizer);
    const schedules = SCHEDULES.map((schedule) => parseSpec(JSON.stringify({
      version: 1, name: 's', task: 'many-to-one', data: { train: 'x.jsonl' }, model: { cell: 'rnn', hiddenSize: 2 }, training: { schedule },
    }), 's.rnn.json').training.schedule);
    const engine = resolved.map((config) => {
      const params: Param[] = [
        { name: 'head.weight', shape: [1, 3], data: Float32Array.of(0.3, -0.2, 0.9), grad: new Float32Array(3) },
        { name: 'head.bias', shape: [1], data: Float32Array.of(0.4), grad: new Float32Array(1), noDecay: true },
      ];
      const optimizer = createOptimizer(config, params, typescriptBackend);
      GRADS.forEach((grad, k) => {
        params[0].grad.set(grad.slice(0, 3));
        params[1].grad.set(grad.slice(3));
        optimizer.step(config.learningRate * LEARNING_RATES[k]);
      });
      return [...params[0].data, ...params[1].data];
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-optimizers-'));
    try {
      writeFileSync(path.join(dir, 'model.py'), modelPySource({ task: 'many-to-one', cell: 'rnn', activation: 'tanh', hiddenSize: 1, layers: 1, bidirectional: false, merge: 'concat', connections: 'none', dropout: 0, recurrentInit: 'orthogonal', input: { kind: 'features', size: 1 }, output: { kind: 'classes', size: 1 } }, { name: 'optimizers' }));
      for (const [name, text] of Object.entries(trainerSources(undefined))) writeFileSync(path.join(dir, name), text);
      writeFileSync(path.join(dir, 'job.json'), JSON.stringify({ optimizers: resolved, grads: GRADS, rates: LEARNING_RATES, schedules }));
      writeFileSync(path.join(dir, 'check.py'), SCRIPT);
      const python = JSON.parse(runPython(found.python, [path.join(dir, 'check.py'), dir, path.join(dir, 'job.json')]));
      resolved.forEach((config, i) => {
        engine[i].forEach((v, j) => assert.ok(Math.abs(v - python.weights[i][j]) <= 1e-6 + 1e-5 * Math.abs(v),
          `${JSON.stringify(OPTIMIZERS[i])} weight ${j}: engine ${v}, train.py ${python.weights[i][j]}`));
      });
      schedules.forEach((schedule, i) => {
        const rates = Array.from({ length: 9 }, (_, e) => learningRateAt(schedule, 0.1, e, 7));
        rates.forEach((r, e) => assert.ok(Math.abs(r - python.rates[i][e]) <= 1e-12, `${schedule.type} epoch ${e}: engine ${r}, train.py ${python.rates[i][e]}`));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
