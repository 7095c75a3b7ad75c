/**
 * Dataset preview messages computed by the real preview code (src/data/preview) from small in-memory
 * datasets, one per format, so the webview draws what the worker would send.
 */
import { previewDataset } from '../../src/data/preview/datasetPreview';
import { resolveSpec } from '../../src/modelSpec';
import type { DatasetPreviewMessage } from '../../src/protocol/datasetPreview';

const utf8 = (text: string) => new TextEncoder().encode(text);

function message(fileName: string, task: string, data: Record<string, unknown>, files: Record<string, string>): DatasetPreviewMessage {
  const spec = resolveSpec({ task, data: { train: fileName, ...data }, model: { cell: 'lstm' } });
  const preview = previewDataset(spec, (path) => utf8(files[path]), 'spec demo.rnn.json');
  return { type: 'datasetPreview', restoreUri: `file:///ws/${fileName}`, fileName, preview };
}

const words = ['good', 'fine', 'great', 'bad', 'poor', 'film', 'plot', 'acting', 'very', 'not'];

export function classificationPreview(): DatasetPreviewMessage {
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    const length = 3 + ((i * 7) % 11);
    const text = Array.from({ length }, (_, k) => words[(i * 3 + k * 5) % words.length]).join(' ');
    lines.push(JSON.stringify({ input: text, label: i % 5 === 0 ? 'negative' : i % 17 === 0 ? 'mixed' : 'positive' }));
  }
  return message('reviews.jsonl', 'many-to-one', { unit: 'word', maxLength: 10 }, { 'reviews.jsonl': lines.join('\n') + '\n' });
}

export function taggingPreview(): DatasetPreviewMessage {
  const tags: Record<string, string> = { the: 'DET', a: 'DET', dog: 'NOUN', cat: 'NOUN', runs: 'VERB', sleeps: 'VERB', fast: 'ADV' };
  const lines = Array.from({ length: 40 }, (_, i) => {
    const input = [['the', 'a'][i % 2], ['dog', 'cat'][(i >> 1) % 2], ['runs', 'sleeps'][(i >> 2) % 2], ...(i % 3 ? ['fast'] : [])];
    return JSON.stringify({ input, labels: input.map((w) => tags[w]) });
  });
  return message('tags.jsonl', 'many-to-many', {}, { 'tags.jsonl': lines.join('\n') + '\n' });
}

export function textPreview(): DatasetPreviewMessage {
  const text = Array.from({ length: 60 }, (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog ${'again '.repeat(i % 7)}`).join('\n');
  return message('corpus.txt', 'many-to-many', { unit: 'word', minCount: 2, validation: { fraction: 0.1 }, test: 'held.txt' },
    { 'corpus.txt': text, 'held.txt': 'the quick red fox naps under the lazy dog\n' });
}

export function csvPreview(): DatasetPreviewMessage {
  const rows = ['date,temperature,humidity'];
  const day = 86400000;
  let t = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 200; i++) {
    t += (i === 90 ? 6 : 1) * day; // a gap of five days
    const date = new Date(t).toISOString().slice(0, 10);
    const temperature = i % 37 === 5 ? '' : (10 + 8 * Math.sin(i / 9)).toFixed(2);
    rows.push(`${date},${temperature},${(60 + 20 * Math.cos(i / 13)).toFixed(1)}`);
  }
  const test = ['date,temperature,humidity'];
  for (let i = 0; i < 30; i++) { t += day; test.push(`${new Date(t).toISOString().slice(0, 10)},${(10 + 8 * Math.sin((200 + i) / 9)).toFixed(2)},${(60 + 20 * Math.cos((200 + i) / 13)).toFixed(1)}`); }
  return message('weather.csv', 'many-to-one',
    { time: 'date', columns: ['temperature', 'humidity'], target: 'temperature', window: 8, missing: 'interpolate', validation: { fraction: 0.15 }, test: 'weather-test.csv' },
    { 'weather.csv': rows.join('\n') + '\n', 'weather-test.csv': test.join('\n') + '\n' });
}

export function errorPreview(): DatasetPreviewMessage {
  return { type: 'datasetPreview', restoreUri: 'file:///ws/bad.jsonl', fileName: 'bad.jsonl', preview: null,
    error: 'bad.jsonl:3:12: invalid JSON (Unexpected token): expected one JSON object a line' };
}
