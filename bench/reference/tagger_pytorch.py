"""PyTorch reference for the Brown part-of-speech tagger (bench/reference/README.md, "Real text"):
the files of brown_to_jsonl.py, embedding 64, GRU 128 (--bidirectional: both directions, concatenated),
a linear head at every step, Adam 1e-3, batch 32, clip-norm 1, 6 epochs, the weights of the epoch
with the lowest validation loss scored on the test file. Same pre-processing as RNN Lab's
`data.lowercase` / `data.minCount` (--lowercase, --min-count 2), counted on the training file.

Padding is packed away (pack_padded_sequence), so the backward direction starts at each sentence's
last word; the loss is the mean cross-entropy over the real tokens of the batch. A test tag the
training file lacks counts as wrong.

    /usr/bin/python3 bench/reference/tagger_pytorch.py DATA [--lowercase --min-count 2] [--bidirectional] [--seed 1]
"""
import torch

from text_reference import IGNORE, PAD, arguments, build_vocabulary, encode, evaluate, make_rnn, pad, read_jsonl, \
    report, rnnlab_init, train, words_of

args = arguments(__doc__, epochs=6).parse_args()
torch.manual_seed(args.seed)
torch.set_num_threads(1)

splits = {s: read_jsonl(f"{args.data}/tagger-{s}.jsonl") for s in ("train", "validation", "test")}
vocab = build_vocabulary((words_of(r["input"], args.lowercase) for r in splits["train"]), args.min_count)
tags = sorted({t for r in splits["train"] for t in r["labels"]})
tag_id = {t: i for i, t in enumerate(tags)}
data = {s: [(encode(words_of(r["input"], args.lowercase), vocab),
             torch.tensor([tag_id.get(t, IGNORE) for t in r["labels"]], dtype=torch.long)) for r in records]
        for s, records in splits.items()}


class Tagger(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(len(vocab) + 2, args.embedding, padding_idx=PAD)
        self.rnn = make_rnn(args)
        self.head = torch.nn.Linear(args.hidden * (2 if args.bidirectional else 1), len(tags))

    def forward(self, ids, lengths):
        packed = torch.nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True,
                                                         enforce_sorted=False)
        out, _ = self.rnn(packed)
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])
        return self.head(out)


def batch_loss(net, batch):
    ids = pad([x for x, _ in batch], PAD)
    target = pad([y for _, y in batch], IGNORE)
    logits = net(ids, torch.tensor([len(x) for x, _ in batch]))
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(tags)), target.reshape(-1), ignore_index=IGNORE)
    scored = target != IGNORE
    total = sum(len(x) for x, _ in batch)
    return loss, (int(scored.sum()), int((logits.argmax(-1) == target)[scored].sum()), total)


net = Tagger()
if args.init == "rnnlab":
    rnnlab_init(net, args.cell)
best_epoch, seconds = train(net, data["train"], data["validation"], args, batch_loss)
test = evaluate(net, data["test"], args, batch_loss)
report(args, {"vocabulary": len(vocab) + 2, "tags": len(tags), "bestEpoch": best_epoch,
              "tokenAccuracy": round(test["accuracy"], 4), "loss": round(test["loss"], 4), "seconds": round(seconds, 1)})
