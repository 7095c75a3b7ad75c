"""The data pipeline of an RNN Lab run, repeated in Python for train.py: the same files read with the
same semantics, the run's vocab.json and normalization.json, the same seeded splits, the same batches.

    records (JSONL)   one JSON object a line; many-to-one {input, label} or {input, target: number(s)},
                      many-to-many {input, labels: one per step}; ids from vocab.json, labels by its
                      "labels"; features z-scored with normalization.json in float64 from float32 values;
                      data.maxLength with data.truncate; validation held out by a seeded (or stratified)
                      shuffle; each epoch's batches by data.batching ("random" or "bucket") from the
                      epoch's own seed (epoch_seed), as src/train/batchPlan.ts builds them.
    text streams      the whole file as one stream of ids (\\r dropped); the validation tail held out;
                      B stripes of L = (N - 1) // B steps, truncated-BPTT windows in order, the state
                      carried from window to window (src/train/streamWindows.ts).

Rng is the engine's generator (src/engine/random.ts, sfc32 seeded through splitmix32) bit for bit, so
a split, a shuffle and every epoch's batch order equal RNN Lab's for the same seed. A batch is a dict
of time-major tensors named as the engine's Batch: tokens (T x B, int64) or features (T x B x X,
float32), lengths (B), class_labels (B), target_tokens (T x B, -1 after each length), target_values
(B x Y), and loss_from (windows whose first steps only rebuild the carried state).
"""
import json
import math
import os

import torch

from model import Vocabulary

MASK = 0xFFFFFFFF
# src/train/batchPlan.ts: batches per sorting pool of the "bucket" batching.
BUCKET_POOL_BATCHES = 50
# src/engine/losses.ts: a validation or test label that training lacks (left out of the loss, counted wrong).
UNSEEN_TARGET = -2


class Rng:
    """sfc32 with a splitmix32 seeding, as src/engine/random.ts (32-bit unsigned arithmetic)."""

    def __init__(self, seed):
        s = int(seed) & MASK
        state = []
        for _ in range(4):
            s = (s + 0x9E3779B9) & MASK
            z = s
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK
            state.append(z ^ (z >> 16))
        self.a, self.b, self.c, self.d = state
        for _ in range(12):
            self.next_uint32()

    def next_uint32(self):
        t = (self.a + self.b + self.d) & MASK
        self.d = (self.d + 1) & MASK
        self.a = self.b ^ (self.b >> 9)
        self.b = (self.c + (self.c << 3)) & MASK
        self.c = ((self.c << 21) | (self.c >> 11)) & MASK
        self.c = (self.c + t) & MASK
        return t

    def next(self):
        return self.next_uint32() / 4294967296

    def int(self, n):
        """Uniform in [0, n), rejecting the incomplete top range."""
        limit = 4294967296 - (4294967296 % n)
        x = self.next_uint32()
        while x >= limit:
            x = self.next_uint32()
        return x % n

    def shuffle(self, items):
        """Fisher-Yates in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.int(i + 1)
            items[i], items[j] = items[j], items[i]


def epoch_seed(seed, epoch):
    """The seed of epoch e's batch order (src/train/trainer.ts epochSeed)."""
    return ((((seed ^ 0x9E3779B9) & MASK) * 0x85EBCA6B) + (epoch + 1) * 0xC2B2AE35) & MASK


def js_round(x):
    """JavaScript's Math.round (halves go up), not Python's round (halves to even)."""
    return math.floor(x + 0.5)


def held_out_count(n, fraction):
    if fraction <= 0 or n < 2:
        return 0
    return min(n - 1, max(1, js_round(fraction * n)))


def seeded_split(items, fraction, seed):
    order = list(range(len(items)))
    Rng(seed).shuffle(order)
    held = set(order[:held_out_count(len(items), fraction)])
    return [x for i, x in enumerate(items) if i not in held], [x for i, x in enumerate(items) if i in held]


def stratified_split(items, class_of, fraction, seed):
    """src/data/splits.ts stratifiedSplit: quotas per class by largest remainder, first in shuffled order held out."""
    order = list(range(len(items)))
    Rng(seed).shuffle(order)
    by_class = {}
    for i in order:
        by_class.setdefault(class_of(items[i]), []).append(i)
    classes = list(by_class.values())
    shares = [fraction * len(members) for members in classes]
    quota = [math.floor(s) for s in shares]
    left = held_out_count(len(items), fraction) - sum(quota)
    by_remainder = sorted(range(len(classes)), key=lambda k: (-(shares[k] - quota[k]), k))
    for k in by_remainder:
        if left <= 0:
            break
        quota[k] += 1
        left -= 1
    held = set(i for k, members in enumerate(classes) for i in members[:quota[k]])
    return [x for i, x in enumerate(items) if i not in held], [x for i, x in enumerate(items) if i in held]


def epoch_batches(lengths, batch_size, batching, seed):
    """Record indices of each batch of one epoch (src/train/batchPlan.ts epochBatches)."""
    rng = Rng(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    if batching == "random":
        return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    pool = BUCKET_POOL_BATCHES * batch_size
    batches = []
    for start in range(0, len(order), pool):
        ranked = sorted(order[start:start + pool], key=lambda i: lengths[i])  # stable: ties keep shuffled order
        batches.extend(ranked[i:i + batch_size] for i in range(0, len(ranked), batch_size))
    batch_order = list(range(len(batches)))
    rng.shuffle(batch_order)
    return [batches[i] for i in batch_order]


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


def read_jsonl(path, spec):
    """The raw records of a JSONL file: dicts with input, and label / labels / value."""
    data, task = spec["data"], spec["task"]
    records = []
    for line in read_text(path).split("\n"):
        line = line[:-1] if line.endswith("\r") else line
        if not line.strip():
            continue
        obj = json.loads(line)
        record = {"input": obj[data["inputKey"]]}
        if task == "many-to-one":
            if data["labelKey"] not in obj and data["targetKey"] in obj:
                target = obj[data["targetKey"]]
                record["value"] = [float(v) for v in (target if isinstance(target, list) else [target])]
            else:
                record["label"] = js_label(obj[data["labelKey"]])
        else:
            record["labels"] = [js_label(v) for v in obj[data["labelsKey"]]]
        records.append(record)
    return records


def encode_records(records, codec):
    """Raw records → examples {input, steps, label | labels | target}, as src/data/recordExamples.ts."""
    ids = {label: i for i, label in enumerate(codec.get("labels") or [])}
    examples = []
    for r in records:
        kind, steps = read_sequence(r["input"], codec.get("vocab"))
        example = {"kind": kind, "input": steps, "steps": len(steps)}
        if "label" in r:
            example["label"] = ids.get(r["label"], UNSEEN_TARGET)
        if "labels" in r:
            example["labels"] = [ids.get(label, UNSEEN_TARGET) for label in r["labels"]]
        if "value" in r:
            example["target"] = torch.tensor(r["value"], dtype=torch.float64).float()
        examples.append(example)
    return examples


def truncate(examples, max_length, keep):
    """data.maxLength: "end" keeps the first steps, "start" the last."""
    if max_length is None:
        return
    for e in examples:
        if e["steps"] > max_length:
            a, b = (0, max_length) if keep == "end" else (e["steps"] - max_length, e["steps"])
            e["input"] = e["input"][a:b]
            if "labels" in e:
                e["labels"] = e["labels"][a:b]
            e["steps"] = b - a


def normalize(examples, norm):
    """x <- (x - mean_f) / std_f, computed in float64 from the float32 value, stored as float32."""
    mean = torch.tensor(norm["mean"], dtype=torch.float64)
    std = torch.tensor(norm["std"], dtype=torch.float64)
    for e in examples:
        e["input"] = ((e["input"].double() - mean) / std).float()


def make_batch(examples):
    """Examples → one time-major batch padded to the longest (src/data/makeBatch.ts)."""
    B = len(examples)
    T = max(e["steps"] for e in examples)
    batch = {"lengths": torch.tensor([e["steps"] for e in examples], dtype=torch.long)}
    if examples[0]["kind"] == "tokens":
        tokens = torch.zeros(T, B, dtype=torch.long)
        for b, e in enumerate(examples):
            tokens[:e["steps"], b] = torch.tensor(e["input"], dtype=torch.long)
        batch["tokens"] = tokens
    else:
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
    if "target" in examples[0]:
        batch["target_values"] = torch.stack([e["target"] for e in examples])
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
    """What of a spec this port does not reproduce (an empty list when it reproduces all of it)."""
    data, task = spec["data"], spec["task"]
    problems = []
    if data["format"] == "text":
        return problems
    if data["format"] != "jsonl":
        problems.append('data.format "%s" (supported: "text", "jsonl")' % data["format"])
    if task not in ("many-to-one", "many-to-many"):
        problems.append('task "%s" (supported: many-to-one, many-to-many and text language models)' % task)
    return problems


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
        self.labels = vocab.get("labels")
        self.normalization = read_json_file(os.path.join(run_dir, "normalization.json"))
        path = lambda name: os.path.join(data_dir, name)  # noqa: E731
        validation = self.data["validation"]
        self.stream = self.data["format"] == "text"
        if self.stream:
            tokens = read_token_stream(path(self.data["train"]), self.vocab)
            if isinstance(validation, str):
                self.train, self.validation = tokens, read_token_stream(path(validation), self.vocab)
            else:
                end = len(tokens) - held_out_count(len(tokens), validation["fraction"])
                self.train, self.validation = tokens[:end], tokens[end:]
            self.test = read_token_stream(path(self.data["test"]), self.vocab) if self.data.get("test") else None
            return
        records = read_jsonl(path(self.data["train"]), spec)
        if isinstance(validation, str):
            train, held = records, read_jsonl(path(validation), spec)
        elif validation["stratify"] and spec["task"] == "many-to-one" and "label" in records[0]:
            train, held = stratified_split(records, lambda r: r.get("label"), validation["fraction"], self.seed)
        else:
            train, held = seeded_split(records, validation["fraction"], self.seed)
        codec = {"vocab": self.vocab, "labels": self.labels}
        self.train = encode_records(train, codec)
        self.validation = encode_records(held, codec)
        self.test = encode_records(read_jsonl(path(self.data["test"]), spec), codec) if self.data.get("test") else None
        for split in (self.train, self.validation, self.test or []):
            truncate(split, self.data.get("maxLength"), self.data.get("truncate", "end"))
            if self.normalization and split and split[0]["kind"] == "features" and self.data.get("normalize", True):
                normalize(split, self.normalization)

    def epoch_order(self, epoch):
        """Record batches of an epoch (indices into self.train), RNN Lab's order for the same seed."""
        lengths = [e["steps"] for e in self.train]
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
        return make_batch([self.train[i] for i in self.epoch_order(0)[0]])


def read_json_file(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)
