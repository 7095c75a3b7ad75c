/** `rnn-lab eval <run>`: the run's best weights on its test split (else validation), or on `--data FILE`. */
import * as path from 'node:path';
import { prepareDataset } from '../../data';
import { InputError } from '../../train/errors';
import { evaluateSplit } from '../../train/evaluation';
import { loadRun } from '../../train/loadedRun';
import { NodeRunStore } from '../../train/nodeRunStore';
import { fail } from '../failure';
import { formatMetrics } from '../output';
import { locateRun } from '../runLocation';
import { datasetReader } from './train';

export interface EvalCommandOptions { data?: string; json?: boolean }

export async function evalCommand(runArgument: string, options: EvalCommandOptions): Promise<void> {
  const json = options.json ?? false;
  try {
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const runDir = path.join(runsDir, runId);
    const run = await loadRun(new NodeRunStore(runsDir), runId);
    if (!run.summary.specFile) throw new InputError('this run does not record where its spec is; evaluate it from the folder it was trained in', runDir);
    const specPath = path.resolve(runDir, run.summary.specFile);
    const spec = structuredClone(run.spec);
    if (options.data) spec.data.test = path.relative(path.dirname(specPath), path.resolve(options.data)).split(path.sep).join('/');
    const data = prepareDataset(spec, datasetReader(specPath));
    const trainFile = spec.data.train;
    if (run.summary.hashes[trainFile] && data.hashes[trainFile] !== run.summary.hashes[trainFile]) {
      throw new InputError('changed since the run was trained: its vocabulary and statistics no longer match the model', path.resolve(path.dirname(specPath), trainFile));
    }
    const split = data.test ? 'test' : 'validation';
    const bptt = spec.training.bptt;
    const metrics = evaluateSplit(run.model, data, data.test ?? data.validation, {
      batchSize: spec.training.batchSize, continuous: true, unit: spec.data.unit,
      windowSteps: bptt.mode === 'truncated' ? bptt.forwardSteps : spec.data.sequenceLength,
    });
    const done = { event: 'done' as const, run: runDir, metrics, split, best: { epoch: run.summary.best?.epoch ?? run.summary.completedEpochs } };
    if (json) process.stdout.write(JSON.stringify(done) + '\n');
    else process.stdout.write(`${split} metrics of ${run.weights} weights (epoch ${done.best.epoch}): ${formatMetrics(metrics)}\n`);
  } catch (error) {
    fail(error, runArgument, json);
  }
}
