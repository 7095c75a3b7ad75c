"""Raw inputs -> the model's tensors, and its outputs -> rnn-lab predict's answers, for an exported
model.py (the build inlines it there, after Vocabulary and the series functions)."""
import torch

from series import series_rows, series_values


def _input_steps(model, raw):
    """One raw input → ids (list of int) or feature rows (list of lists), normalised like RNN Lab's."""
    if model.config["input"]["kind"] == "tokens":
        vocab = model.input_vocab
        tokens = vocab.split(raw) if isinstance(raw, str) else vocab.normalize_tokens([str(t) for t in raw])
        if not tokens:
            raise ValueError("expected a non-empty string or list of tokens")
        return model.input_vocab.encode(tokens)
    return series_rows(model, raw)[0]


def encode_batch(model, raws):
    """Raw inputs → the keyword arguments the model takes (padded, time-major):
    many-to-one, many-to-many: {inputs, lengths}; seq2seq: {source, source_lengths} (for generate);
    one-to-many: {init_vector}. A raw input is a string (tokens of the vocabulary's unit), a list of
    tokens, a list of numbers (one feature per step) or a list of lists (features per step); for
    one-to-many it is the conditioning vector. Features are z-scored with the training statistics."""
    dtype = model.head.weight.dtype
    device = model.head.weight.device
    if model.config["task"] == "one-to-many":
        return {"init_vector": torch.tensor([[float(v) for v in raw] for raw in raws], dtype=dtype, device=device)}
    steps = [_input_steps(model, raw) for raw in raws]
    lengths = torch.tensor([len(s) for s in steps], dtype=torch.long)
    T = int(lengths.max())
    if model.config["input"]["kind"] == "tokens":
        inputs = torch.zeros(T, len(steps), dtype=torch.long)
        for b, ids in enumerate(steps):
            inputs[:len(ids), b] = torch.tensor(ids, dtype=torch.long)
    else:
        inputs = torch.zeros(T, len(steps), model.config["input"]["size"], dtype=dtype)
        for b, rows in enumerate(steps):
            inputs[:len(rows), b] = torch.tensor(rows, dtype=torch.float64).to(dtype)
    inputs = inputs.to(device)
    if model.config["task"] == "seq2seq":
        return {"source": inputs, "source_lengths": lengths}
    return {"inputs": inputs, "lengths": lengths}


def encode(model, raw):
    """One raw input → the keyword arguments of model(...) (or of model.generate), a batch of one."""
    return encode_batch(model, [raw])


def decoder_batch(model, targets):
    """Target token sequences (strings or token lists) → teacher forcing tensors for one-to-many and
    seq2seq training: {decoder_input: <bos> y_1 … y_n, decoder_lengths}, and decoder_target: y_1 … <eos>
    (T2×B, -1 on padding, for F.cross_entropy(..., ignore_index=-1))."""
    vocab = model.output_vocab
    sequences = [vocab.encode(vocab.split(t) if isinstance(t, str) else vocab.normalize_tokens([str(x) for x in t])) for t in targets]
    T2 = max(len(s) for s in sequences) + 1
    decoder_input = torch.zeros(T2, len(sequences), dtype=torch.long)
    decoder_target = torch.full((T2, len(sequences)), -1, dtype=torch.long)
    for b, ids in enumerate(sequences):
        decoder_input[:len(ids) + 1, b] = torch.tensor([vocab.bos] + ids)
        decoder_target[:len(ids) + 1, b] = torch.tensor(ids + [vocab.eos])
    lengths = torch.tensor([len(s) + 1 for s in sequences], dtype=torch.long)
    return {"decoder_input": decoder_input, "decoder_lengths": lengths}, decoder_target


@torch.no_grad()
def predict(model, raw, top=10):
    """rnn-lab predict's answer for one raw input, a dict shaped like its --json line:
    class (many-to-one: classes by probability), labels (a tagger's label per step), next (a language
    model's most likely next tokens), values (in the target's original units: levels, also for a
    differenced series, whose raw input is levels too), sequence (the greedy
    decoding of one-to-many and seq2seq, at most 3× the source or data.sequenceLength tokens)."""
    task = model.config["task"]
    batch = encode(model, raw)
    if task in ("one-to-many", "seq2seq"):
        vocab = model.output_vocab
        max_steps = 3 * int(batch["source_lengths"][0]) if task == "seq2seq" else model.spec["data"]["sequenceLength"]
        [(ids, log_probability, ended)] = model.generate(**batch, bos=vocab.bos, eos=vocab.eos, max_steps=max_steps)
        return {"kind": "sequence", "text": vocab.decode(ids), "tokens": [vocab.tokens[k] for k in ids],
                "logProbability": log_probability, "ended": ended}
    outputs = model(**batch).double()
    outputs = outputs[:, 0] if task == "many-to-many" else outputs  # T×O, or 1×O
    if model.config["output"]["kind"] == "values":
        return series_values(model, raw, outputs)
    names = model.labels or (model.input_vocab.tokens if model.input_vocab else [])

    def name(k):
        return names[k] if k < len(names) else str(k)
    probabilities = torch.softmax(outputs, dim=-1)
    if task == "many-to-one":
        classes = sorted(({"label": name(k), "probability": p} for k, p in enumerate(probabilities[0].tolist())), key=lambda c: -c["probability"])
        return {"kind": "class", "label": classes[0]["label"], "probability": classes[0]["probability"], "classes": classes}
    if not model.labels:
        last = probabilities[-1].tolist()
        best = sorted(range(len(last)), key=lambda k: (-last[k], k))[:top]
        return {"kind": "next", "top": [{"token": name(k), "probability": last[k]} for k in best]}
    best = probabilities.argmax(dim=-1).tolist()
    prediction = {"kind": "labels", "labels": [name(k) for k in best], "probabilities": [probabilities[t, k].item() for t, k in enumerate(best)]}
    if model.config["input"]["kind"] == "tokens":
        prediction["tokens"] = [model.input_vocab.tokens[k] for k in batch["inputs"][:, 0].tolist()]
    return prediction
