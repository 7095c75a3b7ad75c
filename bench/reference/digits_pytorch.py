"""PyTorch reference for examples/digits: the sklearn 8x8 digits read row by row (8 steps of 8
features), first 1438 images train, last 359 test, nn.RNN hidden 128, Adam 1e-3, batch 32,
30 epochs, clip-norm 1 (the setting of issue 3's quality comparison).

Run with Debian's PyTorch and scikit-learn:  /usr/bin/python3 bench/reference/digits_pytorch.py [--normalize]
--normalize z-scores each of the 8 features with train statistics, as RNN Lab does by default
(`data.normalize`); without it the raw 0-16 pixel values are fed, as in the issue's reference.
"""
import argparse
import json
import time

import torch
from sklearn.datasets import load_digits

parser = argparse.ArgumentParser()
parser.add_argument("--normalize", action="store_true")
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()
torch.manual_seed(args.seed)
torch.set_num_threads(1)

digits = load_digits()
x = torch.tensor(digits.images, dtype=torch.float32)  # N x 8 x 8: 8 steps of 8 features
y = torch.tensor(digits.target, dtype=torch.long)
x_train, y_train, x_test, y_test = x[:1438], y[:1438], x[1438:], y[1438:]
if args.normalize:
    mean = x_train.reshape(-1, 8).mean(0)
    std = x_train.reshape(-1, 8).std(0).clamp_min(1e-8)
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.RNN(8, 128, batch_first=True)
        self.head = torch.nn.Linear(128, 10)

    def forward(self, inputs):
        _, h_n = self.rnn(inputs)
        return self.head(h_n[-1])


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
start = time.time()
for epoch in range(30):
    perm = torch.randperm(len(x_train))
    for i in range(0, len(x_train), 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        loss = loss_fn(net(x_train[idx]), y_train[idx])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
elapsed = time.time() - start
with torch.no_grad():
    logits = net(x_test)
    accuracy = (logits.argmax(1) == y_test).float().mean().item()
    test_loss = loss_fn(logits, y_test).item()
print(json.dumps({"normalize": args.normalize, "seed": args.seed, "accuracy": round(accuracy, 4),
                  "loss": round(test_loss, 4), "seconds": round(elapsed, 1), "torch": torch.__version__}))
