import { strict as assert } from 'node:assert';
import { parameterCount, specOfAnswers, tasksFor, wizardSteps, type WizardContext } from '../../../src/extension/commands/wizardSteps';
import type { ModelSpec } from '../../../src/modelSpec';

const classifier: WizardContext = {
  inferred: { version: 1, task: 'many-to-one', model: { cell: 'lstm' }, data: { train: 'a.jsonl' } } as ModelSpec,
  tasks: tasksFor('jsonl', 'many-to-one'),
  predictsNext: () => false,
};
const text: WizardContext = { ...classifier, inferred: { ...classifier.inferred, task: 'many-to-many', data: { train: 'a.txt', unit: 'char' } } as ModelSpec,
  tasks: tasksFor('text', 'many-to-many'), predictsNext: () => true };
const keys = (steps: { key: string }[]) => steps.map((s) => s.key);

describe('New Model wizard steps', () => {
  it('asks six questions; one layer skips connections, a text model skips direction, given answers are not asked', () => {
    assert.deepEqual(keys(wizardSteps(classifier, {}, new Set())), ['task', 'cell', 'hiddenSize', 'layers', 'bidirectional', 'connections']);
    assert.deepEqual(keys(wizardSteps(classifier, { layers: 1 }, new Set())), ['task', 'cell', 'hiddenSize', 'layers', 'bidirectional']);
    assert.deepEqual(keys(wizardSteps(text, {}, new Set())), ['task', 'cell', 'hiddenSize', 'layers', 'connections']);
    assert.deepEqual(keys(wizardSteps(classifier, {}, new Set(['cell', 'task']))), ['hiddenSize', 'layers', 'bidirectional', 'connections']);
  });

  it('typed hidden sizes and layer counts: whole numbers in range, else a reason', () => {
    const [, , hidden, layers] = wizardSteps(classifier, {}, new Set());
    assert.deepEqual(hidden.typed!('96'), { value: 96 });
    assert.match((hidden.typed!('9.5') as { problem: string }).problem, /^expected a whole number of units from 1 to 4,096$/);
    assert.ok('problem' in hidden.typed!('0'));
    assert.ok('problem' in hidden.typed!('5000'));
    assert.ok('problem' in layers.typed!('17'));
    assert.deepEqual(layers.typed!(' 3 '), { value: 3 });
  });

  it('the parameter count follows the answers: exact with the data sizes, symbolic without', () => {
    const known = { inputVocab: 10, outputSize: 3 };
    const count = (hiddenSize: number) => parameterCount(specOfAnswers(classifier, { cell: 'gru', hiddenSize, layers: 1 }), known);
    assert.notEqual(count(8), count(16));
    assert.match(count(8)!, /^[\d,]+ parameters$/);
    assert.match(parameterCount(specOfAnswers(classifier, { hiddenSize: 8, layers: 1 }), {})!, /·V.* parameters$/);
  });

  it('the spec of the answers: defaults for unanswered steps, no bidirectional text model, connections only above one layer', () => {
    assert.deepEqual(specOfAnswers(classifier, {}).model, { cell: 'lstm', hiddenSize: 128, layers: 2, bidirectional: false, connections: 'none' });
    assert.deepEqual(specOfAnswers(text, { bidirectional: true, layers: 1 }).model, { cell: 'lstm', hiddenSize: 128, layers: 1, bidirectional: false });
  });
});
