import { strict as assert } from 'node:assert';
import { describePrediction } from '../../../src/extension/inspector/predictionText';

describe('Predict on Selection: the answer in words', () => {
  it('a class with its probability and the runners-up', () => {
    assert.equal(describePrediction({ kind: 'class', label: 'B', probability: 0.873,
      classes: [{ label: 'B', probability: 0.873 }, { label: 'A', probability: 0.1 }, { label: 'C', probability: 0.027 }, { label: 'D', probability: 0 }] }),
    'B with probability 87.3 % (then A 10.0 %, C 2.7 %)');
  });

  it('a tag per token, or the tags alone', () => {
    assert.equal(describePrediction({ kind: 'labels', labels: ['DET', 'NOUN'], probabilities: [0.9, 0.8], tokens: ['the', 'cat'] }), 'the/DET cat/NOUN');
    assert.equal(describePrediction({ kind: 'labels', labels: ['x', 'y'], probabilities: [0.9, 0.8] }), 'x y');
  });

  it('the likeliest next tokens, quoted so spaces show', () => {
    assert.equal(describePrediction({ kind: 'next', top: [{ token: ' ', probability: 0.41 }, { token: 'e', probability: 0.2 }, { token: '\n', probability: 0.1 }, { token: 'q', probability: 0.01 }] }),
      'next token " " 41.0 %, "e" 20.0 %, "\\n" 10.0 %');
  });

  it('values in original units, one per step or a tuple per step', () => {
    assert.equal(describePrediction({ kind: 'values', steps: 1, values: [159.0312345] }), 'predicted value 159');
    assert.equal(describePrediction({ kind: 'values', steps: 2, values: [1.23456, 2, 3, 4] }), 'predicted values (1.235, 2), (3, 4)');
  });

  it('a generated sequence, saying when it never ended', () => {
    assert.equal(describePrediction({ kind: 'sequence', text: 'la casa', tokens: ['la', 'casa'], logProbability: -1.2, ended: true }), '"la casa"');
    assert.equal(describePrediction({ kind: 'sequence', text: 'aaaa', tokens: [], logProbability: -9, ended: false }), '"aaaa" (no end token within the length limit)');
  });

  it('an unknown or malformed line is shown as its JSON, not hidden', () => {
    assert.equal(describePrediction({ kind: 'class', label: 3 }), '{"kind":"class","label":3}');
    assert.equal(describePrediction({ kind: 'later' }), '{"kind":"later"}');
  });
});
