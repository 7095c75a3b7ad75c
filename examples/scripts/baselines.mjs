// The trivial baselines of the shape examples, on their test files (run from examples/):
//   taggers: the accuracy of the most frequent training tag everywhere, and (words) of each word's most
//            frequent training tag (unseen words: the overall one);
//   generators: the cross-entropy (nats per target token, <eos> included, as the trainer's loss counts
//            it) of the training tokens' unigram frequencies (add-one), which ignore the input.
import { readFileSync } from 'node:fs';

const lines = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
const jsonl = (file) => lines(file).map((l) => JSON.parse(l));
const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const top = (map) => [...map.entries()].sort((a, b) => b[1] - a[1])[0][0];

function tagger(name, inputs) {
  const train = jsonl(`${name}/${name}-train.jsonl`), test = jsonl(`${name}/${name}-test.jsonl`);
  const tags = new Map(), byToken = new Map();
  for (const r of train) inputs(r).forEach((t, i) => { count(tags, r.labels[i]); if (!byToken.has(t)) byToken.set(t, new Map()); count(byToken.get(t), r.labels[i]); });
  const majority = top(tags);
  let n = 0, hitMajority = 0, hitToken = 0;
  for (const r of test) inputs(r).forEach((t, i) => {
    n++;
    if (r.labels[i] === majority) hitMajority++;
    if ((byToken.has(t) ? top(byToken.get(t)) : majority) === r.labels[i]) hitToken++;
  });
  console.log(`${name}: majority "${majority}" accuracy ${(hitMajority / n).toFixed(4)}; per-token most frequent tag ${(hitToken / n).toFixed(4)} (${n} test tokens)`);
}

function unigram(name, train, test) {
  const counts = new Map();
  let total = 0;
  for (const seq of train) for (const t of [...seq, '<eos>']) { count(counts, t); total++; }
  let loss = 0, n = 0;
  for (const seq of test) for (const t of [...seq, '<eos>']) { loss -= Math.log(((counts.get(t) ?? 0) + 1) / (total + counts.size + 1)); n++; }
  console.log(`${name}: unigram cross-entropy ${(loss / n).toFixed(4)} nats/token; most frequent token "${top(counts)}" (${n} test tokens)`);
}

tagger('truecase', (r) => r.input);
tagger('truecase-chars', (r) => Array.from(r.input));
const phones = (file) => lines(file).map((l) => l.split('\t')[1].split(' '));
unigram('pronounce', phones('pronounce/pronounce-train.tsv'), phones('pronounce/pronounce-test.tsv'));
const names = (file) => jsonl(file).map((r) => Array.from(r.target));
unigram('colors', names('colors/colors-train.jsonl'), names('colors/colors-test.jsonl'));
