"""Step-for-step check of an RNN Lab genre run against PyTorch (bench/reference/README.md, "Real text").

Trains, in PyTorch, the model that `rnn-lab export` wrote for a run made with `learningRate: 1e-12`
and `--epochs 1` (so its weights are RNN Lab's initial weights), for one epoch: Adam 1e-3, clip-norm 1,
batch 32, and prints validation and test (loss, accuracy). MODE picks what is RNN Lab's and what not:
  rnnlab        RNN Lab's initial weights and RNN Lab's batch order (ORDER: a JSON list of batches of
                record indices, from src/train/batchPlan.ts `epochBatches(…, epochSeed(seed, 0))`)
  permS         RNN Lab's initial weights, batches from torch.randperm with seed S
  torchinitS    RNN Lab's batch order, weights drawn again by PyTorch (text_reference.rnnlab_init), seed S

    /usr/bin/python3 bench/reference/genre_stepcheck.py MODE EXPORTED DATA ORDER
"""
import sys, json, torch
mode, exported, data_dir, order_file = sys.argv[1:5]
sys.path.insert(0, exported)
import model  # noqa: E402
torch.set_num_threads(1)
net = model.load_model(); voc = net.input_vocab
lab = {l: i for i, l in enumerate(net.labels)}
def load(split):
    recs = [json.loads(l) for l in open(f'{data_dir}/genre-{split}.jsonl')]
    return [(torch.tensor(list(voc.encode(voc.split(r['input']))), dtype=torch.long), lab[r['label']]) for r in recs]
train, val, test = load('train'), load('validation'), load('test')
def run(batch):
    x = torch.nn.utils.rnn.pad_sequence([s for s, _ in batch])
    out = net(x, torch.tensor([len(s) for s, _ in batch]))
    y = torch.tensor([c for _, c in batch])
    return torch.nn.functional.cross_entropy(out, y), out, y
def evaluate(data):
    net.eval(); n = 0; loss = 0; correct = 0
    with torch.no_grad():
        for i in range(0, len(data), 256):
            l, out, y = run(data[i:i+256]); loss += float(l) * len(y); correct += int((out.argmax(-1) == y).sum()); n += len(y)
    net.train(); return round(loss / n, 4), round(correct / n, 4)
if mode.startswith('perm'):
    torch.manual_seed(int(mode[4:])); p = torch.randperm(len(train)).tolist(); order = [p[i:i+32] for i in range(0, len(p), 32)]
else:
    order = json.load(open(order_file))
if mode.startswith('torchinit'):
    from text_reference import rnnlab_init
    torch.manual_seed(int(mode[9:]))
    for name, p in net.named_parameters():
        with torch.no_grad():
            if name.startswith('embedding'): p.normal_()
    rnnlab_init(net, 'gru')
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
norms = []
for b in order:
    opt.zero_grad(); loss, _, _ = run([train[i] for i in b]); loss.backward()
    norms.append(round(float(torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)), 3)); opt.step()
print(mode, 'first grad norms', norms[:5])
print('validation', evaluate(val), 'test', evaluate(test))
