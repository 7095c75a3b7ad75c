"""The Vocabulary class of an exported model.py (the build inlines it there): RNN Lab's text
processing (src/data/tokenize.ts) repeated in Python, so that encode cuts, lower-cases and maps to
<unk> exactly as training did.
    word split     JavaScript's \\s as a character class (Python's str.split() differs on U+001C-U+001F, U+FEFF);
    "words"        unicodedata.category(c).startswith("P") is JavaScript's \\p{P};
    lowercase      str.lower() per token, as toLowerCase() per token;
    minCount       nothing to repeat: rare tokens are not in tokens, so encode maps them to <unk>.
vocab.json of older runs lacks tokenizer, lowercase and counts: whitespace, case kept.
"""
import re
import unicodedata


class Vocabulary:
    """RNN Lab's token ids: <pad> = 0, <unk> = 1 (any unseen or too rare token), then <bos>, <eos>
    when the vocabulary has sequence markers, then the training tokens, most frequent first."""
    # JavaScript's \s, which RNN Lab splits words on.
    WHITESPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")

    def __init__(self, unit, tokens, tokenizer="whitespace", lowercase=False, counts=None):
        self.unit = unit
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.tokens = list(tokens)
        self.counts = counts
        self.ids = {token: i for i, token in enumerate(self.tokens)}
        self.bos = self.ids.get("<bos>", -1)
        self.eos = self.ids.get("<eos>", -1)

    def split(self, text):
        """char: one token per code point; word: split on whitespace and, with the "words" tokenizer,
        every punctuation character (Unicode category P*) on its own; lower-cased when trained so."""
        if self.unit == "char":
            return self.normalize_tokens(list(text))
        tokens = []
        for word in self.WHITESPACE.split(text):
            if word:
                tokens.extend(split_punctuation(word) if self.tokenizer == "words" else [word])
        return self.normalize_tokens(tokens)

    def normalize_tokens(self, tokens):
        """Tokens given one by one (a list): lower-cased when the vocabulary lower-cases, never re-cut."""
        return [t.lower() for t in tokens] if self.lowercase else list(tokens)

    def encode(self, tokens):
        return [self.ids.get(token, 1) for token in tokens]

    def decode(self, ids):
        words = [self.tokens[i] if 0 <= i < len(self.tokens) else "<unk>" for i in ids]
        return ("" if self.unit == "char" else " ").join(words)


def split_punctuation(word):
    """A whitespace-free word cut into runs of non-punctuation and single punctuation characters."""
    parts, run = [], ""
    for c in word:
        if unicodedata.category(c).startswith("P"):
            if run:
                parts.append(run)
                run = ""
            parts.append(c)
        else:
            run += c
    if run:
        parts.append(run)
    return parts
