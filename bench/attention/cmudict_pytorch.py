"""The PyTorch side of the CMUdict attention bench (issue 14), the same design as bench/attention/engine.mjs:
a character encoder (Embedding 64 -> LSTM 256) whose final (h, c) starts a phone decoder (Embedding 64 ->
LSTM 256), Luong attention (dot, general or additive; the head reads tanh(W_c [c_t; s_t])), trained with
teacher forcing: batch 64, Adam 2e-3, gradient norm clipped to 1, 6 epochs; word accuracy is the exact
match of greedy decoding (at most 3x the source length) on test.tsv. PyTorch's default initialisation.
trainLoss: each epoch's mean cross-entropy per target token, testLoss the same on test.tsv under teacher forcing
(the engine's train and test loss in metrics.jsonl).

    /usr/bin/python3 bench/attention/cmudict_pytorch.py DIR [--scores none,dot] [--epochs 6] [--feed] [--threads 1] [--seed 1]

DIR holds train.tsv and test.tsv from bench/attention/prepare.mjs. One JSON line per score.
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD, UNK, BOS, EOS = 0, 1, 2, 3


class LuongAttention(nn.Module):
    """e_tj = s.h_j (dot) | s W_a h_j (general) | v tanh(W_q s + W_k h_j) (additive); a = softmax over valid j;
    c = sum_j a_j h_j; h~ = tanh(W_c [c; s] + b_c)."""

    def __init__(self, score, width):
        super().__init__()
        self.score = score
        if score == "general":
            self.weight = nn.Linear(width, width, bias=False)
        if score == "additive":
            self.query = nn.Linear(width, width, bias=False)
            self.key = nn.Linear(width, width, bias=False)
            self.energy = nn.Linear(width, 1, bias=False)
        self.combine = nn.Linear(2 * width, width)

    def forward(self, s, h, valid):
        """s: T2xBxW, h: TxBxW, valid: TxB -> h~ T2xBxW."""
        if self.score == "dot":
            e = torch.einsum("tbw,jbw->tbj", s, h)
        elif self.score == "general":
            e = torch.einsum("tbw,jbw->tbj", s, self.weight(h))
        else:
            e = self.energy(torch.tanh(self.query(s).unsqueeze(2) + self.key(h).permute(1, 0, 2).unsqueeze(0))).squeeze(-1)
        e = e.masked_fill(~valid.t().unsqueeze(0), float("-inf"))
        c = torch.einsum("tbj,jbw->tbw", torch.softmax(e, dim=-1), h)
        return torch.tanh(self.combine(torch.cat([c, s], dim=-1)))


class Speller(nn.Module):
    def __init__(self, source_size, target_size, score, feed, embedding=64, hidden=256):
        super().__init__()
        self.score, self.feed, self.hidden = score, feed and score != "none", hidden
        self.source_embedding = nn.Embedding(source_size, embedding)
        self.encoder = nn.LSTM(embedding, hidden)
        self.target_embedding = nn.Embedding(target_size, embedding)
        self.decoder = nn.LSTM(embedding + (hidden if self.feed else 0), hidden)
        self.attention = LuongAttention(score, hidden) if score != "none" else None
        self.head = nn.Linear(hidden, target_size)

    def encode(self, source, lengths):
        packed = pack_padded_sequence(self.source_embedding(source), lengths, enforce_sorted=False)
        out, state = self.encoder(packed)
        memory, _ = pad_packed_sequence(out, total_length=source.shape[0])
        valid = torch.arange(source.shape[0]).unsqueeze(1) < lengths.unsqueeze(0)
        return memory, valid, state

    def decode(self, ids, state, memory, valid, previous):
        """ids: T2xB (teacher forcing, or one step). Returns logits T2xBxO, state, last h~."""
        x = self.target_embedding(ids)
        if not self.feed:
            s, state = self.decoder(x, state)
            top = self.attention(s, memory, valid) if self.attention is not None else s
            return self.head(top), state, None
        outputs = []
        for t in range(ids.shape[0]):
            s, state = self.decoder(torch.cat([x[t], previous], dim=-1).unsqueeze(0), state)
            previous = self.attention(s, memory, valid)[0]
            outputs.append(previous)
        return self.head(torch.stack(outputs)), state, previous


def read(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def vocabulary(sequences, specials):
    counts = {}
    for s in sequences:
        for token in s:
            counts[token] = counts.get(token, 0) + 1
    tokens = specials + sorted(counts, key=lambda t: (-counts[t], t))
    return {t: i for i, t in enumerate(tokens)}


def batch_tensors(pairs, source_vocab, target_vocab):
    sources = [[source_vocab.get(c, UNK) for c in w] for w, _ in pairs]
    targets = [[target_vocab.get(p, UNK) for p in phones.split()] for _, phones in pairs]
    T, T2 = max(map(len, sources)), max(map(len, targets)) + 1
    source = torch.full((T, len(pairs)), PAD, dtype=torch.long)
    decoder_input = torch.full((T2, len(pairs)), PAD, dtype=torch.long)
    decoder_target = torch.full((T2, len(pairs)), -1, dtype=torch.long)
    for b, (s, y) in enumerate(zip(sources, targets)):
        source[:len(s), b] = torch.tensor(s)
        decoder_input[:len(y) + 1, b] = torch.tensor([BOS] + y)
        decoder_target[:len(y) + 1, b] = torch.tensor(y + [EOS])
    return source, torch.tensor([len(s) for s in sources]), decoder_input, decoder_target, targets


@torch.no_grad()
def word_accuracy(model, pairs, source_vocab, target_vocab):
    model.eval()
    exact = 0
    for i in range(0, len(pairs), 256):
        chunk = pairs[i:i + 256]
        source, lengths, _, _, targets = batch_tensors(chunk, source_vocab, target_vocab)
        memory, valid, state = model.encode(source, lengths)
        B = len(chunk)
        ids = torch.full((1, B), BOS, dtype=torch.long)
        previous = torch.zeros(B, model.hidden)
        out = [[] for _ in range(B)]
        ended = [False] * B
        for _ in range(3 * int(lengths.max())):
            logits, state, previous = model.decode(ids, state, memory, valid, previous)
            logits = logits[0].clone()
            logits[:, [PAD, UNK, BOS]] = -float("inf")
            ids = logits.argmax(dim=-1).unsqueeze(0)
            for b in range(B):
                if ended[b]:
                    continue
                k = int(ids[0, b])
                if k == EOS or len(out[b]) >= 3 * int(lengths[b]):
                    ended[b] = True
                else:
                    out[b].append(k)
            if all(ended):
                break
        exact += sum(o == t for o, t in zip(out, targets))
    model.train()
    return exact / len(pairs)


@torch.no_grad()
def test_loss(model, pairs, source_vocab, target_vocab):
    """Mean cross-entropy per target token under teacher forcing (the engine's test loss)."""
    model.eval()
    loss_sum, tokens = 0.0, 0
    for i in range(0, len(pairs), 256):
        source, lengths, decoder_input, decoder_target, _ = batch_tensors(pairs[i:i + 256], source_vocab, target_vocab)
        memory, valid, state = model.encode(source, lengths)
        logits, _, _ = model.decode(decoder_input, state, memory, valid, torch.zeros(source.shape[1], model.hidden))
        loss_sum += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), decoder_target.reshape(-1), ignore_index=-1, reduction="sum"))
        tokens += int((decoder_target >= 0).sum())
    model.train()
    return round(loss_sum / tokens, 4)


def run(directory, score, epochs, feed, seed):
    train, test = read(os.path.join(directory, "train.tsv")), read(os.path.join(directory, "test.tsv"))
    source_vocab = vocabulary([w for w, _ in train], ["<pad>", "<unk>"])
    target_vocab = vocabulary([p.split() for _, p in train], ["<pad>", "<unk>", "<bos>", "<eos>"])
    torch.manual_seed(seed)
    random.seed(seed)
    model = Speller(len(source_vocab), len(target_vocab), score, feed)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    started = time.time()
    train_losses = []
    for _ in range(epochs):
        loss_sum, tokens = 0.0, 0
        order = list(range(len(train)))
        random.shuffle(order)
        for i in range(0, len(order), 64):
            source, lengths, decoder_input, decoder_target, _ = batch_tensors([train[k] for k in order[i:i + 64]], source_vocab, target_vocab)
            memory, valid, state = model.encode(source, lengths)
            logits, _, _ = model.decode(decoder_input, state, memory, valid, torch.zeros(source.shape[1], model.hidden))
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), decoder_target.reshape(-1), ignore_index=-1)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            counted = int((decoder_target >= 0).sum())
            loss_sum, tokens = loss_sum + float(loss) * counted, tokens + counted
        train_losses.append(round(loss_sum / tokens, 4))
    accuracy = word_accuracy(model, test, source_vocab, target_vocab)
    return {"side": "pytorch", "attention": score, "feed": feed, "seed": seed, "wordAccuracy": accuracy, "trainLoss": train_losses, "testLoss": test_loss(model, test, source_vocab, target_vocab), "elapsedMs": round(1000 * (time.time() - started))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--scores", default="none,dot")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--feed", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    torch.set_num_threads(options.threads)
    for score in options.scores.split(","):
        print(json.dumps(run(options.directory, score, options.epochs, options.feed, options.seed)), flush=True)


if __name__ == "__main__":
    main()
