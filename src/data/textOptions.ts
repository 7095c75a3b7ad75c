/**
 * The text keys of a resolved spec for one side: how strings are cut (`unit`, `tokenizer`,
 * `lowercase`) and which training tokens a new vocabulary keeps (`minCount`, `maxVocabulary`).
 * A key missing from a spec stored before it existed reads as the behaviour before it.
 */
import type { ResolvedSpec } from '../modelSpec';
import { PLAIN_TEXT, type TextOptions } from './tokenize';
import type { VocabularyLimits } from './vocabulary';

/** `input`: `data.*` (text streams, record inputs); `source`/`target`: the seq2seq and one-to-many sides. */
export type TextSide = 'input' | 'source' | 'target';

export interface SideOptions {
  text: TextOptions;
  limits: VocabularyLimits;
}

export function sideOptions(spec: ResolvedSpec, side: TextSide): SideOptions {
  const d: Partial<ResolvedSpec['data']> = spec.data;
  const pick = <K extends 'Unit' | 'Lowercase' | 'Tokenizer' | 'MinCount' | 'MaxVocabulary'>(name: K) => {
    const general = (name[0].toLowerCase() + name.slice(1)) as Uncapitalize<K>;
    return side === 'input' ? d[general] : d[`${side}${name}`] ?? d[general];
  };
  return {
    text: {
      unit: pick('Unit') ?? 'char',
      tokenizer: pick('Tokenizer') ?? PLAIN_TEXT.tokenizer,
      lowercase: pick('Lowercase') ?? PLAIN_TEXT.lowercase,
    },
    limits: { minCount: pick('MinCount') ?? 1, maxVocabulary: pick('MaxVocabulary') ?? null },
  };
}
