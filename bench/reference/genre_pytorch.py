"""PyTorch reference for the Brown sentence-genre classifier (bench/reference/README.md, "Real text"):
a sentence's words (the genre-*.jsonl files of brown_to_jsonl.py) -> press / nonfiction / learned /
fiction. Embedding 64, GRU 128 (--bidirectional: the head reads both directions' final states,
concatenated), Adam 1e-3, batch 32, clip-norm 1, 6 epochs, the weights of the epoch with the lowest
validation loss scored on the test file. --lowercase / --min-count 2 as RNN Lab's `data.lowercase` /
`data.minCount`. Sentences are packed, so each final state is the one at the sentence's last word.

    /usr/bin/python3 bench/reference/genre_pytorch.py DATA [--lowercase --min-count 2] [--bidirectional] [--seed 1]
"""
import torch

from text_reference import PAD, arguments, build_vocabulary, encode, evaluate, make_rnn, pad, read_jsonl, report, \
    rnnlab_init, train, words_of

args = arguments(__doc__, epochs=6).parse_args()
torch.manual_seed(args.seed)
torch.set_num_threads(1)

splits = {s: read_jsonl(f"{args.data}/genre-{s}.jsonl") for s in ("train", "validation", "test")}
vocab = build_vocabulary((words_of(r["input"], args.lowercase) for r in splits["train"]), args.min_count)
labels = sorted({r["label"] for r in splits["train"]})
label_id = {label: i for i, label in enumerate(labels)}
data = {s: [(encode(words_of(r["input"], args.lowercase), vocab), label_id[r["label"]]) for r in records]
        for s, records in splits.items()}


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(len(vocab) + 2, args.embedding, padding_idx=PAD)
        self.rnn = make_rnn(args)
        self.head = torch.nn.Linear(args.hidden * (2 if args.bidirectional else 1), len(labels))

    def forward(self, ids, lengths):
        packed = torch.nn.utils.rnn.pack_padded_sequence(self.embedding(ids), lengths, batch_first=True,
                                                         enforce_sorted=False)
        _, h_n = self.rnn(packed)
        if isinstance(h_n, tuple):  # LSTM: (h_n, c_n)
            h_n = h_n[0]
        last = h_n[-2:] if args.bidirectional else h_n[-1:]
        return self.head(torch.cat(list(last), dim=1))


def batch_loss(net, batch):
    ids = pad([x for x, _ in batch], PAD)
    target = torch.tensor([y for _, y in batch])
    logits = net(ids, torch.tensor([len(x) for x, _ in batch]))
    loss = torch.nn.functional.cross_entropy(logits, target)
    return loss, (len(batch), int((logits.argmax(-1) == target).sum()), len(batch))


net = Classifier()
if args.init == "rnnlab":
    rnnlab_init(net, args.cell)
best_epoch, seconds = train(net, data["train"], data["validation"], args, batch_loss)
test = evaluate(net, data["test"], args, batch_loss)
report(args, {"vocabulary": len(vocab) + 2, "classes": len(labels), "bestEpoch": best_epoch,
              "accuracy": round(test["accuracy"], 4), "loss": round(test["loss"], 4), "seconds": round(seconds, 1)})
