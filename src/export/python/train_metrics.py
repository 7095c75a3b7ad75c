"""RNN Lab's metrics for train.py (the build inlines this file there), under their RNN Lab names
(src/train/metrics.ts): loss (weighted as the loss is), accuracy or tokenAccuracy, macroF1,
bitsPerChar / bitsPerToken and perplexity, sequenceAccuracy and tokenErrorRate."""
import math

import torch
import torch.distributed as dist
import torch.nn.functional as F


class Sums:
    """A split's running sums: the loss weighted as RNN Lab's (sum of class weights, else the target
    count), hits over scored targets (unseen labels count as wrong), and a confusion matrix for macroF1."""

    def __init__(self, kind, classes, macro_f1):
        self.kind = kind
        self.loss = self.weight = self.correct = self.count = 0.0
        self.confusion = torch.zeros(classes, classes, dtype=torch.float64) if macro_f1 else None

    def add(self, outputs, targets, class_weights):
        """outputs: rows x O logits (or values); targets: rows (class ids, -1 padding, -2 unseen) or rows x Y."""
        if self.kind == "values":
            self.loss += float(F.mse_loss(outputs.double(), targets.double(), reduction="sum"))
            self.weight += targets.numel()
            return
        scored = targets != -1
        known = targets >= 0
        guess = outputs.argmax(dim=-1)
        w = class_weights[targets[known]] if class_weights is not None else torch.ones(int(known.sum()), dtype=torch.float64)
        losses = F.cross_entropy(outputs[known].double(), targets[known], reduction="none")
        self.loss += float((losses * w.double()).sum())
        self.weight += float(w.sum())
        self.correct += float((guess[known] == targets[known]).sum())
        self.count += float(scored.sum())
        if self.confusion is not None:
            for y, p in zip(targets[scored].tolist(), guess[scored].tolist()):
                if y >= 0:
                    self.confusion[y, p] += 1

    def reduce(self):
        """Sums over every rank (training metrics under torchrun)."""
        if dist.is_initialized():
            packed = torch.tensor([self.loss, self.weight, self.correct, self.count], dtype=torch.float64)
            dist.all_reduce(packed)
            self.loss, self.weight, self.correct, self.count = packed.tolist()
            if self.confusion is not None:
                dist.all_reduce(self.confusion)
        return self

    def metrics(self, task, unit="char", evaluation=False):
        """RNN Lab's metric names: a language model's train split reports only its loss."""
        loss = self.loss / self.weight if self.weight else float("nan")
        if self.kind == "stream":
            bits = "bitsPerToken" if unit == "word" else "bitsPerChar"
            return {"loss": loss, bits: loss / math.log(2), "perplexity": math.exp(loss)} if evaluation else {"loss": loss}
        if self.kind == "values":
            return {"loss": loss}
        out = {"loss": loss, "accuracy" if task == "many-to-one" else "tokenAccuracy": self.correct / self.count if self.count else float("nan")}
        if self.confusion is None:
            return out
        c = self.confusion
        tp = c.diag()
        precision = torch.where(c.sum(0) > 0, tp / c.sum(0).clamp(min=1), torch.zeros_like(tp))
        recall = torch.where(c.sum(1) > 0, tp / c.sum(1).clamp(min=1), torch.zeros_like(tp))
        f1 = torch.where(precision + recall > 0, 2 * precision * recall / (precision + recall).clamp(min=1e-300), torch.zeros_like(tp))
        out["macroF1"] = float(f1.mean())
        return out


def levenshtein(a, b):
    """Edit distance, every insertion, deletion and substitution costing 1."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y))
        previous = current
    return previous[-1]


class Decoding:
    """Greedy decodings against their references: exact matches per sequence, edits per reference token."""

    def __init__(self):
        self.exact = self.sequences = self.edits = self.reference_length = 0

    def add(self, hypothesis, reference):
        distance = levenshtein(hypothesis, reference)
        self.sequences += 1
        self.exact += distance == 0
        self.edits += distance
        self.reference_length += len(reference)

    def metrics(self):
        return {"sequenceAccuracy": self.exact / self.sequences, "tokenErrorRate": self.edits / max(1, self.reference_length)}
