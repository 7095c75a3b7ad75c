/**
 * The `rnn-lab` command line (bundled to dist/cli.js, run by bin/rnn-lab.js). Exit codes: 0 ok,
 * 1 a failed check or a diverged run, 2 bad input (including bad arguments and a path refused by
 * --allow-root, see fileAccess.ts), 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { benchCommand } from './commands/bench';
import { evalCommand } from './commands/evaluate';
import { explainCommand } from './commands/explain';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { gradcheckCommand } from './commands/gradcheck';
import { initCommand } from './commands/init';
import { predictCommand } from './commands/predict';
import { sampleCommand } from './commands/sample';
import { sweepCommand } from './commands/sweep';
import { trainCommand } from './commands/train';
import { nonNegativeInteger, positiveInteger, positiveNumber } from './arguments';
import { BACKEND_PREFERENCES } from '../engine/kernels/selectBackend';
import { enableRelaxedSimd } from './relaxedSimd';
import { allowRootOption } from './fileAccess';

const program = new Command('rnn-lab')
  .description('Design, train and inspect recurrent neural networks (RNN, LSTM, GRU) from a spec file.')
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

program.command('train')
  .description('Train a model from a *.rnn.json spec; writes a run under .rnnlab/runs/ beside the spec. Ctrl-C writes a checkpoint, then exits.')
  .argument('<spec>', 'the model spec (*.rnn.json)')
  .option('--epochs <n>', 'override training.epochs', positiveInteger)
  .option('--json', 'print one JSON event per line on stdout (done or error last)')
  .option('--resume <run>', 'continue a run (its folder, or its id under the runs directory)')
  .option('--runs-dir <dir>', 'where runs are written (default: .rnnlab/runs beside the spec)')
  .option('--seed <s>', 'override training.seed', nonNegativeInteger)
  .addOption(new Option('--backend <name>', 'compute backend: auto takes the fastest that runs here; ts forces the TypeScript reference').choices(BACKEND_PREFERENCES).default('auto'))
  .option('--threads <n>', 'threads to train on (overrides training.threads; default: the cores); a resumed run keeps its own', positiveInteger)
  .addOption(allowRootOption())
  .action(trainCommand);

program.command('sweep')
  .description("Train one run per trial of the spec's \"sweep\" (grid or random); the plan and progress go to .rnnlab/sweeps/<id>.json. Ctrl-C checkpoints the running trials, then exits.")
  .argument('<spec>', 'the model spec (*.rnn.json) with a "sweep"')
  .option('--parallel <n>', 'trials trained at once, dividing the threads among them', positiveInteger, 1)
  .option('--json', 'print one JSON line per sweep event on stdout (sweep, trialStart, trialEnd, sweepDone; error last on failure)')
  .option('--resume <id>', 'continue a sweep: skip its finished trials, continue cancelled ones from their checkpoint')
  .option('--runs-dir <dir>', 'where runs are written (default: .rnnlab/runs beside the spec; the sweep file goes to ../sweeps)')
  .addOption(new Option('--backend <name>', 'compute backend, as for train').choices(BACKEND_PREFERENCES).default('auto'))
  .addOption(allowRootOption())
  .action(sweepCommand);

program.command('eval')
  .description("Evaluate a run's best weights on its test split (else validation), or on another file.")
  .argument('<run>', 'a run folder')
  .option('--data <file>', 'evaluate on this file instead of data.test')
  .option('--json', 'print the result as a JSON line shaped like train\'s done line')
  .addOption(allowRootOption())
  .action(evalCommand);

program.command('sample')
  .description('Generate from a run: text from a language model, or the decoding of --input by a seq2seq or one-to-many model.')
  .argument('<run>', 'a run folder')
  .option('--length <n>', 'tokens to generate: 500 when absent for language models; seq2seq / one-to-many stop at <eos> or after n (absent: 3× the source, or data.sequenceLength)', positiveInteger)
  .option('--temperature <t>', 'softmax temperature: 1 when absent for language models; seq2seq / one-to-many decode greedily unless --temperature or --top-k is given', positiveNumber)
  .option('--top-k <k>', 'sample among the k most likely tokens only (absent or 0: all)', nonNegativeInteger)
  .option('--greedy', 'always take the most likely token')
  .option('--beam <w>', 'seq2seq / one-to-many: beam search of this width (1 is greedy)', positiveInteger)
  .option('--prime <text>', 'language models: text to start from (default: the run\'s warm-up text, not printed)')
  .option('--input <json>', 'seq2seq: the source (a string or JSON array); one-to-many: the input vector (JSON array)')
  .option('--seed <s>', 'seed of the sampling', nonNegativeInteger, 1)
  .addOption(allowRootOption())
  .action(sampleCommand);

program.command('predict')
  .description('Run a trained model on an input: class distribution, per-step labels, next-token distribution or values.')
  .argument('<run>', 'a run folder')
  .addOption(new Option('--input <json>', 'one input: a string, or a JSON sequence').conflicts('file'))
  .option('--file <f>', 'one input per line (JSON values, or JSONL objects with the spec\'s input key)')
  .option('--json', 'print each prediction as a JSON line')
  .option('--hidden', 'also print every layer\'s hidden states over the input\'s steps (T×W per layer; many-to-one and many-to-many)')
  .option('--attention', 'seq2seq with model.attention: also print the alignment of each generated token over the source tokens')
  .addOption(allowRootOption())
  .action(predictCommand);

program.command('explain')
  .description('Which input steps drove one output: integrated gradients (or gradient × input) of a class, tag, next token, value or generated token.')
  .argument('<run>', 'a run folder')
  .addOption(new Option('--input <json>', 'the input: a string, or a JSON sequence').conflicts('file'))
  .option('--file <f>', 'a dataset file (JSONL objects with the spec\'s input key, JSON values, or text lines); with --line')
  .option('--line <n>', 'the 1-based line of --file to explain', positiveInteger)
  .option('--target <label>', 'the class, tag or token to explain (default: the predicted one); for values, the target column')
  .option('--step <t>', '0-based: the tagger\'s or aligned regression\'s step (default the last), a forecast\'s step ahead, or seq2seq\'s generated token (default 0)', nonNegativeInteger)
  .addOption(new Option('--method <m>', 'ig: integrated gradients from a zero baseline; gradxinput: gradient × input (fast)').choices(['ig', 'gradxinput']).default('ig'))
  .option('--steps <m>', 'integration steps of ig', positiveInteger, 32)
  .option('--json', 'print the explanation as one JSON line')
  .addOption(allowRootOption())
  .action(explainCommand);

program.command('gradcheck')
  .description('Check the analytic gradients of a spec\'s network against finite differences (float64) on a few examples of its data; exits 1 above 1e-5.')
  .argument('<spec>', 'the model spec (*.rnn.json)')
  .option('--json', 'print one JSON row per parameter')
  .addOption(allowRootOption())
  .action(gradcheckCommand);

program.command('bench')
  .description('Time training steps of the benchmark configurations C1–C5.')
  .option('--json', 'one JSON object per configuration')
  .action(benchCommand);

program.command('init')
  .description('Write a starter spec for a dataset, with the task and keys inferred.')
  .argument('<dataset>', 'a .txt, .jsonl, .csv or .tsv file')
  .option('--force', 'overwrite an existing spec')
  .addOption(allowRootOption())
  .action(initCommand);

program.command('export')
  .description('Write a run as a PyTorch module: model.py, model.safetensors (canonical state_dict keys), spec, vocabulary, normalisation.')
  .argument('<run>', 'a run folder')
  .option('--out <dir>', 'the folder to write (default: <run>/pytorch)')
  .option('--trainer', 'also data.py and train.py, which retrain the run in PyTorch (python train.py, or torchrun)')
  .option('--json', 'print {out, files} as one JSON line')
  .addOption(allowRootOption())
  .action(exportCommand);

program.command('import')
  .description('Load a PyTorch state_dict saved as safetensors into the network of a spec, as a new run (eval/sample/predict/export it, or train --resume to fine-tune); or, with --run, add a run folder written by train.py --out.')
  .argument('[spec]', 'the model spec (*.rnn.json) the weights belong to (not with --run)')
  .option('--weights <file>', 'the .safetensors file (state_dict keys: the canonical names, e.g. rnn.weight_ih_l0)')
  .option('--run <dir>', 'a run folder written by train.py --out (export --trainer): checked and copied into the runs folder')
  .option('--out <dir>', 'the run folder to write (default: a new run under .rnnlab/runs beside the spec)')
  .option('--runs-dir <dir>', 'where the new run goes when --out is not given (with --run: default .rnnlab/runs beside the spec the run names)')
  .option('--json', 'print {run} as one JSON line')
  .addOption(allowRootOption())
  .action(importCommand);

async function main(): Promise<void> {
  enableRelaxedSimd();
  // A reader that stops early (`rnn-lab sample … | head`) closes the pipe: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      process.exit(ok ? 0 : 2);
    }
    throw error;
  }
}

void main();
