/** The one-line facts training prints about a vocabulary (`PreparedDataset.notes`). */
import type { Example, Split } from './dataset';
import type { VocabularyLimits, Vocabulary } from './vocabulary';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/**
 * `vocabulary 8,214 words (minCount 2; 4.0% of training tokens are <unk>); 3.1% of validation tokens unknown`:
 * the size counts every id (special tokens too); `ids` are the validation split's ids of this vocabulary.
 */
export function vocabularyNote(name: string, vocab: Vocabulary, limits: VocabularyLimits | undefined, ids: readonly ArrayLike<number>[]): string {
  let note = `${name} ${count(vocab.size)} ${vocab.unit === 'char' ? 'characters' : 'words'}`;
  if (limits && (limits.minCount > 1 || limits.maxVocabulary !== null)) {
    const settings = [...(limits.minCount > 1 ? [`minCount ${limits.minCount}`] : []), ...(limits.maxVocabulary !== null ? [`maxVocabulary ${count(limits.maxVocabulary)}`] : [])];
    const training = vocab.counts?.reduce((a, b) => a + b, 0) ?? 0;
    note += ` (${settings.join(', ')}${training ? `; ${percent(vocab.counts![vocab.unk], training)} of training tokens are <unk>` : ''})`;
  }
  let total = 0;
  let unknown = 0;
  for (const sequence of ids) {
    total += sequence.length;
    for (let i = 0; i < sequence.length; i++) if (sequence[i] === vocab.unk) unknown++;
  }
  return total ? `${note}; ${percent(unknown, total)} of validation tokens unknown` : note;
}

/** The token sequences of a split under one vocabulary: the stream, or each example's inputs or generated tokens. */
export function splitIds(split: Split, part: 'input' | 'targetTokens'): ArrayLike<number>[] {
  if (split.kind === 'stream') return [split.tokens];
  return split.examples.map((e: Example) => (part === 'input' ? e.input : e.targetTokens ?? new Int32Array(0)));
}
