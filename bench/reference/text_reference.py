"""Shared parts of the PyTorch text references (tagger_pytorch.py, genre_pytorch.py): reading JSONL,
the vocabulary as RNN Lab builds it, the training loop with best-validation-loss selection.

Vocabulary: ids <pad> = 0, <unk> = 1, then the training words by descending count, ties in code-point
order; words seen fewer than --min-count times in the training file, and every word the training file
lacks, are <unk>. Labels: the training labels sorted; a validation/test label training never saw gets
no class, is left out of the loss and counts as wrong (as RNN Lab does).
"""
import argparse
import json
import sys
import time

import torch

PAD, UNK = 0, 1
IGNORE = -100


def arguments(description, epochs):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", help="folder with <kind>-{train,validation,test}.jsonl (brown_to_jsonl.py --out)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lowercase", action="store_true")
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--cell", choices=["rnn", "gru", "lstm"], default="gru")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--embedding", type=int, default=64)
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--clip", type=float, default=1.0)
    parser.add_argument("--init", choices=["torch", "rnnlab"], default="torch",
                        help="rnnlab: RNN Lab's initialisation (rnnlab_init) instead of PyTorch's defaults")
    return parser


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def words_of(value, lowercase):
    words = value if isinstance(value, list) else value.split()
    return [w.lower() for w in words] if lowercase else list(words)


def build_vocabulary(sequences, min_count):
    counts = {}
    for words in sequences:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    kept = sorted((w for w, c in counts.items() if c >= min_count and w not in ("<pad>", "<unk>")),
                  key=lambda w: (-counts[w], w))
    return {w: i + 2 for i, w in enumerate(kept)}


def encode(words, vocab):
    return torch.tensor([vocab.get(w, UNK) for w in words], dtype=torch.long)


def make_rnn(args):
    cell = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[args.cell]
    return cell(args.embedding, args.hidden, batch_first=True, bidirectional=args.bidirectional)


def rnnlab_init(net, cell):
    """RNN Lab's initialisation (src/engine/model.ts `initialize`), for ablations: Glorot-uniform input
    weights per gate block, orthogonal recurrent weights per gate block, zero biases (LSTM forget-gate
    b_ih = 1), Glorot-uniform head; embeddings stay N(0, 1) as nn.Embedding."""
    gates = {"rnn": 1, "gru": 3, "lstm": 4}[cell]
    for name, p in net.named_parameters():
        if name.startswith("embedding"):
            continue
        with torch.no_grad():
            if "weight_hh" in name:
                for block in p.view(gates, -1, p.shape[1]):
                    torch.nn.init.orthogonal_(block)
            elif "weight_ih" in name:
                bound = (6 / (p.shape[1] + p.shape[0] // gates)) ** 0.5
                p.uniform_(-bound, bound)
            elif p.dim() == 2:
                torch.nn.init.xavier_uniform_(p)
            else:
                p.zero_()
                if cell == "lstm" and "bias_ih" in name:
                    p[p.shape[0] // 4:p.shape[0] // 2] = 1


def pad(seqs, value):
    return torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=value)


def train(net, train_set, validation_set, args, batch_loss):
    """Adam, clip-norm, random batches reshuffled each epoch; returns the weights of the epoch with the
    lowest validation loss (RNN Lab's default: the final metrics come from the best-validation checkpoint)."""
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    best, best_loss, best_epoch = None, float("inf"), 0
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        net.train()
        perm = torch.randperm(len(train_set)).tolist()
        for i in range(0, len(perm), args.batch):
            opt.zero_grad()
            loss, _ = batch_loss(net, [train_set[j] for j in perm[i:i + args.batch]])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), args.clip)
            opt.step()
        validation = evaluate(net, validation_set, args, batch_loss)
        val_loss = validation["loss"]
        print(f"epoch {epoch} validation loss {val_loss:.4f} accuracy {validation['accuracy']:.4f}", file=sys.stderr)
        if val_loss < best_loss:
            best_loss, best_epoch = val_loss, epoch
            best = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best)
    return best_epoch, time.time() - start


def evaluate(net, records, args, batch_loss):
    """Mean loss over the scored targets, and (correct, total) where total counts every target."""
    net.eval()
    loss_sum, scored, correct, total = 0.0, 0, 0, 0
    with torch.no_grad():
        for i in range(0, len(records), 256):
            loss, (n_scored, n_correct, n_total) = batch_loss(net, records[i:i + 256])
            loss_sum += loss.item() * n_scored
            scored, correct, total = scored + n_scored, correct + n_correct, total + n_total
    return {"loss": loss_sum / max(scored, 1), "accuracy": correct / total}


def report(args, extra):
    print(json.dumps({"seed": args.seed, "lowercase": args.lowercase, "minCount": args.min_count,
                      "cell": args.cell, "bidirectional": args.bidirectional, **extra, "torch": torch.__version__}))
