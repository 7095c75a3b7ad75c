/**
 * The `model.py` an export writes: the run's network in PyTorch (nn.RNN / nn.LSTM / nn.GRU per
 * layer, nn.Embedding, nn.Linear head, skip projections, one-to-many init, seq2seq bridge), with
 * `load_model`, `encode`, `predict` and a dependency-free safetensors reader and writer.
 *
 * The program is the real Python file src/export/python/model.py (with the modules it names
 * inlined by scripts/build-python.mjs). Only its `CONFIG = {}` line, which becomes the network's
 * literal, and the title on its docstring's first line differ between exports.
 */
import type { NetworkConfig } from '../engine/types';
import { modelPy } from './python/generated/pythonSources';
import { pythonLiteral } from './pythonLiteral';

/** The line of model.py that an export replaces with the network's literal. */
const CONFIG_LINE = /^CONFIG = \{\}.*$/m;

export interface ModelPyOptions {
  /** The spec's name, for the docstring. */
  name: string;
}

/** The text of model.py for a network. */
export function modelPySource(config: NetworkConfig, options: ModelPyOptions): string {
  const shape = `${config.task}, ${config.cell}${config.cell === 'rnn' ? ` (${config.activation})` : ''}, ` +
    `${config.layers} layer${config.layers === 1 ? '' : 's'} of ${config.hiddenSize}` +
    `${config.bidirectional ? `, bidirectional (${config.merge})` : ''}${config.connections === 'none' ? '' : `, ${config.connections} connections`}`;
  const title = `RNN Lab export of "${options.name.replace(/["\\\s]+/g, ' ').trim()}": ${shape}.`;
  if (!CONFIG_LINE.test(modelPy)) throw new Error('src/export/python/model.py has no `CONFIG = {}` line to replace');
  return modelPy
    .replace('__TITLE__', () => title)
    .replace(CONFIG_LINE, () => `CONFIG = ${pythonLiteral(config)}`);
}
