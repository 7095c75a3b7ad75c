/**
 * The New Model wizard's questions, without `vscode`: each step lists its choices (the first is the
 * default), may accept a typed value (a hidden size, a layer count), and is skipped when an earlier
 * answer settles it. `parameterCount` is the engine's count of the spec the answers so far give
 * (defaults for the rest), on the data's sizes when known, else with their symbols (`+ 64·V`).
 */
import { TASKS, type ModelSpec } from '../../modelSpec';
import { formatParamCount } from '../../protocol/hostWebview';
import { buildDiagramModel, type DataSizes } from '../panels/diagramModel';

export type Cell = 'rnn' | 'lstm' | 'gru';
export type Connections = 'none' | 'skip' | 'dense';

export interface WizardAnswers {
  task?: string;
  cell?: Cell;
  hiddenSize?: number;
  layers?: number;
  bidirectional?: boolean;
  connections?: Connections;
}

export type AnswerKey = keyof WizardAnswers;

export interface WizardChoice<V = unknown> { label: string; description?: string; value: V }

export interface WizardStep {
  key: AnswerKey;
  title: string;
  choices: WizardChoice[];
  /** A typed value → the value, or why it is not one (a string starting "expected"). */
  typed?: (text: string) => { value: number } | { problem: string };
}

/** What the data says before any question: the inferred spec, and what it lets the model be. */
export interface WizardContext {
  inferred: ModelSpec;
  /** Tasks the data can be read as, the inferred one first. */
  tasks: string[];
  /** Next-step prediction (text, a CSV series read many-to-many): no bidirectional reading. */
  predictsNext: (task: string) => boolean;
}

const integerIn = (what: string, min: number, max: number) => (text: string): { value: number } | { problem: string } => {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min || value > max) {
    return { problem: `expected a whole number of ${what} from ${min} to ${max.toLocaleString('en-US')}` };
  }
  return { value };
};

/** The tasks a format can be read as, the inferred one first. */
export function tasksFor(format: string, inferred: string): string[] {
  const others = format === 'text' || format === 'tsv' ? [] : format === 'csv' ? ['many-to-one', 'many-to-many'] : [...TASKS];
  return [inferred, ...others.filter((t) => t !== inferred)];
}

/** The steps still asked given `answers` (a step whose answer was passed in is not asked). */
export function wizardSteps(context: WizardContext, answers: WizardAnswers, given: ReadonlySet<AnswerKey>): WizardStep[] {
  const steps: WizardStep[] = [
    { key: 'task', title: 'task', choices: context.tasks.map((t, i) => ({ label: t, value: t, ...(i === 0 && { description: 'inferred from the data' }) })) },
    { key: 'cell', title: 'cell', choices: [
      { label: 'lstm', description: 'long short-term memory: the safe default', value: 'lstm' },
      { label: 'gru', description: 'gated recurrent unit: fewer parameters', value: 'gru' },
      { label: 'rnn', description: 'Elman RNN: simplest, forgets quickly', value: 'rnn' },
    ] },
    { key: 'hiddenSize', title: 'hidden size (or type one)', typed: integerIn('units', 1, 4096),
      choices: [128, 64, 256, 32].map((n) => ({ label: String(n), value: n, ...(n === 128 && { description: 'default' }) })) },
    { key: 'layers', title: 'layers (or type a number)', typed: integerIn('layers', 1, 16),
      choices: [2, 1, 3, 4, 6].map((n) => ({ label: String(n), value: n, ...(n === 2 && { description: 'default' }) })) },
    { key: 'bidirectional', title: 'direction', choices: [
      { label: 'unidirectional', value: false }, { label: 'bidirectional', description: 'reads the sequence both ways', value: true },
    ] },
    { key: 'connections', title: 'connections between layers', choices: [
      { label: 'none', value: 'none' }, { label: 'skip', description: 'residual', value: 'skip' },
      { label: 'dense', description: 'each layer sees all earlier ones', value: 'dense' },
    ] },
  ];
  const task = answers.task ?? context.tasks[0];
  return steps.filter((step) => {
    if (given.has(step.key)) return false;
    if (step.key === 'bidirectional') return !context.predictsNext(task);
    if (step.key === 'connections') return (answers.layers ?? 2) > 1;
    return true;
  });
}

/** The spec the answers give (what the wizard writes, without the seed and the data path). */
export function specOfAnswers(context: WizardContext, answers: WizardAnswers): ModelSpec {
  const { inferred } = context;
  const task = answers.task ?? context.tasks[0];
  const layers = answers.layers ?? 2;
  const bidirectional = context.predictsNext(task) ? false : answers.bidirectional ?? false;
  return {
    ...inferred,
    task: task as ModelSpec['task'],
    model: {
      ...inferred.model, cell: answers.cell ?? 'lstm', hiddenSize: answers.hiddenSize ?? 128, layers, bidirectional,
      ...(layers > 1 ? { connections: answers.connections ?? 'none' } : {}),
    },
  };
}

/** `98,432 parameters`, or `49,412 + 64·V parameters` while the data's sizes are unknown; undefined if the spec cannot be counted. */
export function parameterCount(spec: ModelSpec, known: Partial<DataSizes>): string | undefined {
  try {
    return `${formatParamCount(buildDiagramModel(spec, 'model', known).totalParams)} parameters`;
  } catch {
    return undefined;
  }
}
