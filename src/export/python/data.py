"""The data pipeline of an RNN Lab run, repeated in Python for train.py: the same files read with the
same semantics, the run's vocab.json and normalization.json, the same seeded splits, the same batches.

    records           JSONL, one object a line: many-to-one {input, label} or {input, target: number(s)},
                      many-to-many {input, labels: one per step}, seq2seq {source, target}, one-to-many
                      {input: vector, target}; or TSV source<TAB>target pairs. Ids from vocab.json, labels by
                      its "labels"; features z-scored with normalization.json in float64 from float32 values;
                      maxLength / sourceMaxLength / targetMaxLength with data.truncate; validation held out
                      by a seeded (or stratified) shuffle; each epoch's batches by data.batching ("random"
                      or "bucket", by source + target length) from the epoch's own seed (epoch_seed).
    tables            CSV or TSV with a header (data.records), cells read as the JSONL keys (table_records.py).
    time series       CSV columns (csv_table.py: delimiter, quoting, groupBy, data.missing, the time column),
                      windows z-scored with normalization.json (per series with normalize "perSeries"),
                      calendar features, differencing, horizon, forecastSteps (series_windows.py).
    text streams      the whole file as one stream of ids (\\r dropped); the validation tail held out;
                      B stripes of L = (N - 1) // B steps, truncated-BPTT windows in order, the state
                      carried from window to window (src/train/streamWindows.ts).

Rng is the engine's generator (src/engine/random.ts, sfc32 seeded through splitmix32) bit for bit, so
a split, a shuffle and every epoch's batch order equal RNN Lab's for the same seed. A batch is a dict
of time-major tensors named as the engine's Batch: tokens (T x B, int64) or features (T x B x X,
float32), lengths (B), class_labels (B), target_tokens (T x B, -1 after each length), target_values
(B x Y, or T x B x Y for an aligned series, 0 after each length), decoder_input (T2 x B, <bos> y...),
decoder_target (T2 x B, y... <eos>, -1 after), decoder_lengths, init_vectors (B x V), and loss_from
(windows whose first steps only rebuild the state).
"""
import csv
import datetime
import json
import math
import os
import re

import torch

from model import Vocabulary, calendar_phase, parse_time

# src/engine/losses.ts: a validation or test label that training lacks (left out of the loss, counted wrong).
UNSEEN_TARGET = -2


from seeded import Rng, epoch_batches, epoch_seed, held_out_count, seeded_split, stratified_split  # inlined here by the build (scripts/build-python.mjs)


from csv_table import DataError, parse_csv_rows, read_csv_groups  # inlined here by the build (scripts/build-python.mjs)


from table_records import read_table_records  # inlined here by the build (scripts/build-python.mjs)


from series_windows import read_series  # inlined here by the build (scripts/build-python.mjs)


# --- reading ------------------------------------------------------------------------------------

def read_text(path):
    """Strict UTF-8 with a leading BOM dropped, as RNN Lab's TextDecoder reads files."""
    with open(path, "rb") as f:
        return f.read().decode("utf-8-sig")


def js_label(value):
    """A label as RNN Lab reads it: strings as they are, numbers as JavaScript's String(n), booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return value if isinstance(value, str) else repr(value)


def read_sequence(value, vocab):
    """A JSON value → ("tokens", ids) or ("features", float32 steps x width tensor)."""
    if isinstance(value, str):
        return "tokens", vocab.encode(vocab.split(value))
    if isinstance(value[0], str):
        return "tokens", vocab.encode(vocab.normalize_tokens(value))
    rows = [[v] for v in value] if not isinstance(value[0], list) else value
    return "features", torch.tensor(rows, dtype=torch.float64).float()


def read_lines(path):
    """(line, text) of each non-blank line, without its \\n or \\r\\n."""
    for number, line in enumerate(read_text(path).split("\n"), 1):
        line = line[:-1] if line.endswith("\r") else line
        if line.strip():
            yield number, line


def read_jsonl(path, spec):
    """The raw records of a JSONL file: dicts with input (or init_vector), and label / labels / value / output."""
    data, task = spec["data"], spec["task"]
    records = []
    for _, line in read_lines(path):
        obj = json.loads(line)
        if task == "one-to-many":
            vector = obj[data["inputKey"]]
            record = {"init_vector": [float(v) for v in (vector if isinstance(vector, list) else [vector])]}
        else:
            record = {"input": obj[data["sourceKey"] if task == "seq2seq" else data["inputKey"]]}
        if task in ("seq2seq", "one-to-many"):
            record["output"] = obj[data["targetKey"]]
        elif task == "many-to-one":
            if data["labelKey"] not in obj and data["targetKey"] in obj:
                target = obj[data["targetKey"]]
                record["value"] = [float(v) for v in (target if isinstance(target, list) else [target])]
            else:
                record["label"] = js_label(obj[data["labelKey"]])
        else:
            record["labels"] = [js_label(v) for v in obj[data["labelsKey"]]]
        records.append(record)
    return records


def read_tsv(path):
    """source<TAB>target lines (seq2seq, no header)."""
    return [dict(zip(("input", "output"), line.split("\t"))) for _, line in read_lines(path)]


def encode_records(records, codec):
    """Raw records → examples {kind, input, steps, label | labels | target | target_tokens | init_vector},
    as src/data/recordExamples.ts."""
    ids = {label: i for i, label in enumerate(codec.get("labels") or [])}
    examples = []
    for r in records:
        example = {"kind": "none", "input": [], "steps": 0}
        if "input" in r:
            kind, steps = read_sequence(r["input"], codec.get("vocab"))
            example.update(kind=kind, input=steps, steps=len(steps))
        if "label" in r:
            example["label"] = ids.get(r["label"], UNSEEN_TARGET)
        if "labels" in r:
            example["labels"] = [ids.get(label, UNSEEN_TARGET) for label in r["labels"]]
        if "value" in r:
            example["target"] = torch.tensor(r["value"], dtype=torch.float64).float()
        if "output" in r:
            out = codec["output_vocab"]
            tokens = out.split(r["output"]) if isinstance(r["output"], str) else out.normalize_tokens(r["output"])
            example["target_tokens"] = out.encode(tokens)
        if "init_vector" in r:
            example["init_vector"] = torch.tensor(r["init_vector"], dtype=torch.float64).float()
        examples.append(example)
    return examples


def kept(length, limit, keep):
    """The kept range [a, b) of a sequence cut to `limit`: "end" keeps the first steps, "start" the last."""
    return (0, limit) if keep == "end" else (length - limit, length)


def truncate(examples, max_length, target_max_length, keep):
    """data.maxLength (sourceMaxLength) and targetMaxLength with data.truncate, as src/data/truncation.ts."""
    for e in examples:
        if max_length is not None and e["steps"] > max_length:
            a, b = kept(e["steps"], max_length, keep)
            e["input"] = e["input"][a:b]
            if "labels" in e:
                e["labels"] = e["labels"][a:b]
            e["steps"] = b - a
        if target_max_length is not None and len(e.get("target_tokens", [])) > target_max_length:
            a, b = kept(len(e["target_tokens"]), target_max_length, keep)
            e["target_tokens"] = e["target_tokens"][a:b]


def normalize(examples, norm):
    """x <- (x - mean_f) / std_f, computed in float64 from the float32 value, stored as float32."""
    mean = torch.tensor(norm["mean"], dtype=torch.float64)
    std = torch.tensor(norm["std"], dtype=torch.float64)
    for e in examples:
        e["input"] = ((e["input"].double() - mean) / std).float()


def make_batch(examples, bos=None, eos=None):
    """Examples → one time-major batch padded to the longest (src/data/makeBatch.ts); bos and eos
    (the output vocabulary's) for generated targets."""
    B = len(examples)
    T = max(e["steps"] for e in examples)
    batch = {"lengths": torch.tensor([e["steps"] for e in examples], dtype=torch.long)}
    if T > 0 and examples[0]["kind"] == "tokens":
        tokens = torch.zeros(T, B, dtype=torch.long)
        for b, e in enumerate(examples):
            tokens[:e["steps"], b] = torch.tensor(e["input"], dtype=torch.long)
        batch["tokens"] = tokens
    elif T > 0:
        features = torch.zeros(T, B, examples[0]["input"].shape[1], dtype=torch.float32)
        for b, e in enumerate(examples):
            features[:e["steps"], b] = e["input"]
        batch["features"] = features
    if "label" in examples[0]:
        batch["class_labels"] = torch.tensor([e["label"] for e in examples], dtype=torch.long)
    if "labels" in examples[0]:
        target = torch.full((T, B), -1, dtype=torch.long)
        for b, e in enumerate(examples):
            target[:e["steps"], b] = torch.tensor(e["labels"], dtype=torch.long)
        batch["target_tokens"] = target
    if "target" in examples[0] and examples[0]["target"].dim() == 2:  # aligned series: steps x Y per example
        target = torch.zeros(T, B, examples[0]["target"].shape[1], dtype=torch.float32)
        for b, e in enumerate(examples):
            target[:e["steps"], b] = e["target"]
        batch["target_values"] = target
    elif "target" in examples[0]:
        batch["target_values"] = torch.stack([e["target"] for e in examples])
    if "target_tokens" in examples[0]:
        T2 = max(len(e["target_tokens"]) for e in examples) + 1
        decoder_input = torch.zeros(T2, B, dtype=torch.long)
        decoder_target = torch.full((T2, B), -1, dtype=torch.long)
        for b, e in enumerate(examples):
            y = e["target_tokens"]
            decoder_input[:len(y) + 1, b] = torch.tensor([bos] + y, dtype=torch.long)
            decoder_target[:len(y) + 1, b] = torch.tensor(y + [eos], dtype=torch.long)
        batch.update(decoder_input=decoder_input, decoder_target=decoder_target,
                     decoder_lengths=torch.tensor([len(e["target_tokens"]) + 1 for e in examples], dtype=torch.long))
    if "init_vector" in examples[0]:
        batch["init_vectors"] = torch.stack([e["init_vector"] for e in examples])
    return batch


# --- text streams -------------------------------------------------------------------------------

def read_token_stream(path, vocab):
    """A text file → its ids (int64), carriage returns dropped, unseen or rare tokens as <unk>."""
    return torch.tensor(vocab.encode(vocab.split(read_text(path).replace("\r", ""))), dtype=torch.long)


def stripe_layout(token_count, batch_size):
    """(B stripes, L steps each) of a stream: B = min(batchSize, N - 1), L = (N - 1) // B."""
    stripes = max(1, min(batch_size, token_count - 1))
    return stripes, (token_count - 1) // stripes


def truncated_windows(stripe_length, forward_steps, backprop_steps):
    """(start, end, loss_from) of each window: k1 new steps, the gradient through the last k2."""
    windows = []
    for new_from in range(0, stripe_length, forward_steps):
        start = max(0, new_from - (backprop_steps - forward_steps))
        windows.append((start, min(new_from + forward_steps, stripe_length), new_from - start))
    return windows


def window_batch(stream, layout, window, first_stripe=0, stripes=None):
    """tokens[t, b] = x[b*L + start + t], target_tokens[t, b] = x[b*L + start + t + 1], for stripes
    first_stripe .. first_stripe + stripes - 1 of the layout (a rank's share under torchrun)."""
    B, L = layout
    stripes = B if stripes is None else stripes
    start, end, loss_from = window
    at = (torch.arange(first_stripe, first_stripe + stripes) * L).unsqueeze(0) + torch.arange(start, end).unsqueeze(1)
    batch = {"tokens": stream[at], "target_tokens": stream[at + 1], "lengths": torch.full((stripes,), end - start, dtype=torch.long)}
    if loss_from > 0:
        batch["loss_from"] = loss_from
    return batch


# --- the run's dataset --------------------------------------------------------------------------

def unsupported(spec):
    """What of a spec this port does not reproduce (an empty list when it reproduces all of it).
    Mirrors src/export/trainerFiles.ts trainerUnsupported."""
    if spec["data"]["format"] in ("text", "jsonl", "tsv", "csv"):
        return []
    return ['data.format "%s" (supported: "text", "jsonl", "tsv", "csv")' % spec["data"]["format"]]


class Dataset:
    """The run's splits read from data_dir (the spec's folder) with the run's vocab.json and normalization.json."""

    def __init__(self, spec, data_dir, run_dir):
        problems = unsupported(spec)
        if problems:
            raise ValueError("this data.py does not reproduce " + "; ".join(problems))
        self.spec = spec
        self.data = spec["data"]
        self.seed = spec["training"]["seed"]
        vocab = read_json_file(os.path.join(run_dir, "vocab.json")) or {}
        self.vocab = Vocabulary(**vocab["input"]) if "input" in vocab else None
        self.output_vocab = Vocabulary(**vocab["output"]) if "output" in vocab else None
        self.labels = vocab.get("labels")
        self.normalization = read_json_file(os.path.join(run_dir, "normalization.json"))
        path = lambda name: os.path.join(data_dir, name)  # noqa: E731
        validation = self.data["validation"]
        self.stream = self.data["format"] == "text"
        self.series = self.data["format"] == "csv" and not self.data.get("records")
        if self.stream:
            tokens = read_token_stream(path(self.data["train"]), self.vocab)
            if isinstance(validation, str):
                self.train, self.validation = tokens, read_token_stream(path(validation), self.vocab)
            else:
                end = len(tokens) - held_out_count(len(tokens), validation["fraction"])
                self.train, self.validation = tokens[:end], tokens[end:]
            self.test = read_token_stream(path(self.data["test"]), self.vocab) if self.data.get("test") else None
            return
        if self.series:
            self.train, self.validation, self.test, self.target_std = read_series(spec, lambda p: read_text(path(p)), self.normalization)
            return
        if self.data.get("records"):
            read = lambda file: read_table_records(read_text(file), os.path.relpath(file, data_dir), spec)  # noqa: E731
        else:
            read = read_tsv if self.data["format"] == "tsv" else (lambda file: read_jsonl(file, spec))
        records = read(path(self.data["train"]))
        if isinstance(validation, str):
            train, held = records, read(path(validation))
        elif validation["stratify"] and spec["task"] == "many-to-one" and "label" in records[0]:
            train, held = stratified_split(records, lambda r: r.get("label"), validation["fraction"], self.seed)
        else:
            train, held = seeded_split(records, validation["fraction"], self.seed)
        codec = {"vocab": self.vocab, "output_vocab": self.output_vocab, "labels": self.labels}
        self.train = encode_records(train, codec)
        self.validation = encode_records(held, codec)
        self.test = encode_records(read(path(self.data["test"])), codec) if self.data.get("test") else None
        for split in (self.train, self.validation, self.test or []):
            generates = spec["task"] in ("seq2seq", "one-to-many")
            truncate(split, self.data["sourceMaxLength" if generates else "maxLength"], self.data["targetMaxLength"] if generates else None, self.data["truncate"])
            if self.normalization and split and split[0]["kind"] == "features" and self.data.get("normalize", True):
                normalize(split, self.normalization)

    def epoch_order(self, epoch):
        """Record batches of an epoch (indices into self.train), RNN Lab's order for the same seed."""
        lengths = [e["steps"] + len(e.get("target_tokens", [])) for e in self.train]
        return epoch_batches(lengths, self.spec["training"]["batchSize"], self.data["batching"], epoch_seed(self.seed, epoch))

    def stream_windows(self, tokens, stripes):
        """The stripe layout and windows of a stream for `stripes` stripes (training's truncated BPTT)."""
        layout = stripe_layout(len(tokens), stripes)
        bptt = self.spec["training"]["bptt"]
        if bptt["mode"] == "truncated":
            return layout, truncated_windows(layout[1], bptt["forwardSteps"], bptt["backpropSteps"])
        return layout, truncated_windows(layout[1], layout[1], layout[1])

    def first_batch(self):
        """The first training batch of epoch 1, as RNN Lab's trainer builds it."""
        if self.stream:
            layout, windows = self.stream_windows(self.train, self.spec["training"]["batchSize"])
            return window_batch(self.train, layout, windows[0])
        return self.batch([self.train[i] for i in self.epoch_order(0)[0]])

    def batch(self, examples):
        out = self.output_vocab
        return make_batch(examples, out and out.bos, out and out.eos)


def read_json_file(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)
