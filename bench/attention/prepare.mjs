#!/usr/bin/env node
// CMUdict spelling → pronunciation, the pinned attention task of issue 14 (a bench, not shipped):
// the first pronunciation of every word of 4–10 letters [a-z] (the dictionary's alternates are
// "word(2)" keys, which the pattern leaves out), stress digits removed, a seeded 90/10 split.
//
//   node bench/attention/prepare.mjs OUT_DIR [--seed 1] [--limit N] [--dictionary path/to/index.js]
//
// writes OUT_DIR/train.tsv and OUT_DIR/test.tsv ("word<TAB>P R AH N AH N S IY EY SH AH N").
// --limit N keeps the first N words of the shuffled list before the split (a documented subset, the
// same files for both sides). --dictionary loads the package from a path instead of node_modules.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const out = args[0];
if (!out || out.startsWith('--')) {
  console.error('usage: node bench/attention/prepare.mjs OUT_DIR [--seed 1] [--limit N] [--dictionary path]');
  process.exit(2);
}
const seed = Number(option('seed', '1'));
const limit = option('limit', undefined);
const source = option('dictionary', undefined);
const { dictionary } = await import(source ? pathToFileURL(resolve(source)).href : 'cmu-pronouncing-dictionary');

/** mulberry32: a small seeded generator for the shuffle. */
function generator(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pairs = Object.keys(dictionary)
  .filter((word) => /^[a-z]{4,10}$/.test(word))
  .sort()
  .map((word) => [word, dictionary[word].replace(/[0-9]/g, '')]);
const random = generator(seed);
for (let i = pairs.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
}
const kept = limit ? pairs.slice(0, Number(limit)) : pairs;
const cut = Math.round(kept.length * 0.9);
mkdirSync(out, { recursive: true });
const tsv = (rows) => rows.map(([w, p]) => `${w}\t${p}`).join('\n') + '\n';
writeFileSync(join(out, 'train.tsv'), tsv(kept.slice(0, cut)));
writeFileSync(join(out, 'test.tsv'), tsv(kept.slice(cut)));
console.log(JSON.stringify({ words: pairs.length, kept: kept.length, train: cut, test: kept.length - cut, seed }));
