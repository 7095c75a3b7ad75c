#!/usr/bin/python3
"""PyTorch reference for `npm run bench`: the same configs C1-C5 and the same training step.

Step: optimizer.zero_grad(); forward (nn.RNN/LSTM/GRU + nn.Linear head, mean softmax CE);
full BPTT backward; torch.optim.SGD step (p -= lr*g). Language-model configs feed one-hot vectors
of size 65 (F.one_hot(x).float()) to the recurrent layer's input weights, as "vocabulary 65 one-hot"
means in the issue's reference numbers. C3 reads concat(h_n forward, h_n backward) of the top layer.

One thread: torch.set_num_threads(1) and threadpoolctl limits BLAS. Same timing scheme as the
engine's bench: warm-up, configs timed round-robin, median and spread of several repetitions.

  /usr/bin/python3 bench/pytorch_ref.py [--json] [--config C1,C5] [--reps N]
  /usr/bin/python3 bench/pytorch_ref.py --blas

--json prints one object per row: {"config":"C1","cell":"rnn","backend":"pytorch","msPerStep":...,"blas":{...}}.
--blas prints only the BLAS torch runs on, as one JSON object (see blas_info); bench:compare refuses
a reference BLAS.
Needs Debian's python3-torch and python3-threadpoolctl.
"""
import argparse
import json
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from threadpoolctl import threadpool_info, threadpool_limits

VOCAB = 65
LEARNING_RATE = 0.01
LM = {'kind': 'lm', 'vocabSize': VOCAB}

# Mirrors bench/configs.ts.
BENCH_CONFIGS = [
    dict(id='C1', cell='rnn', hiddenSize=128, layers=1, bidirectional=False, steps=64, batchSize=32, task=LM),
    dict(id='C2', cell='rnn', hiddenSize=256, layers=1, bidirectional=False, steps=100, batchSize=64, task=LM),
    dict(id='C3', cell='rnn', hiddenSize=128, layers=2, bidirectional=True, steps=64, batchSize=32,
         task={'kind': 'classify', 'featureSize': 16, 'classes': 10}),
    dict(id='C4', cell='lstm', hiddenSize=128, layers=1, bidirectional=False, steps=64, batchSize=32, task=LM),
    dict(id='C4', cell='gru', hiddenSize=128, layers=1, bidirectional=False, steps=64, batchSize=32, task=LM),
    dict(id='C5', cell='rnn', hiddenSize=100, layers=1, bidirectional=False, steps=25, batchSize=1, task=LM),
]
CELL_CLASSES = {'rnn': nn.RNN, 'lstm': nn.LSTM, 'gru': nn.GRU}
WARM_UP_MS, MIN_WARM_UP_STEPS, TARGET_REP_MS = 500, 3, 400


def blas_info():
    """The BLAS torch's products run on: {'name', 'version', 'filepath', 'reference', 'architecture'}.

    'architecture' is the kernel set threadpoolctl reports (OpenBLAS: e.g. Haswell, SkylakeX, Zen;
    OPENBLAS_CORETYPE forces one).

    threadpoolctl names OpenBLAS, MKL, BLIS and FlexiBLAS. Debian's python3-torch links libblas.so.3,
    which is the reference (netlib) BLAS unless an optimized one such as libopenblas0-pthread provides
    it; threadpoolctl does not recognize the reference one, so a libblas mapped into this process
    that threadpoolctl does not name is it. Wheels with a static BLAS say so in BLAS_INFO.
    """
    for lib in threadpool_info():
        if lib['user_api'] == 'blas':
            # FlexiBLAS dispatches to another BLAS, which may be the reference one (NETLIB).
            backend = lib.get('current_backend')
            reference = lib['internal_api'] == 'flexiblas' and str(backend).lower() == 'netlib'
            name = f"flexiblas ({backend})" if backend else lib['internal_api']
            return {'name': name, 'version': lib.get('version'), 'filepath': lib.get('filepath'), 'reference': reference,
                    'architecture': lib.get('architecture')}
    try:
        with open('/proc/self/maps') as maps:
            mapped = sorted({line.split()[-1] for line in maps if re.search(r'/libblas\.so', line)})
    except OSError:
        mapped = []
    if mapped:
        return {'name': 'reference', 'version': None, 'filepath': mapped[0], 'reference': True}
    match = re.search(r'BLAS_INFO=(\w+)', torch.__config__.show())
    return {'name': match.group(1) if match else 'unknown', 'version': None, 'filepath': None, 'reference': False}


def describe_blas(blas):
    version = f" {blas['version']}" if blas['version'] else ''
    kernels = f" [{blas['architecture']} kernels]" if blas.get('architecture') else ''
    where = f" ({blas['filepath']})" if blas['filepath'] else ''
    return f"{blas['name']}{version}{kernels}{where}"


def row_label(config):
    return f"{config['id']}-{config['cell']}" if config['id'] == 'C4' else config['id']


class TrainingStep:
    """zero_grad -> forward -> backward -> SGD, on one fixed seeded batch."""

    def __init__(self, config, seed=1):
        torch.manual_seed(seed)
        task, steps, batch = config['task'], config['steps'], config['batchSize']
        directions = 2 if config['bidirectional'] else 1
        self.lm = task['kind'] == 'lm'
        input_size = task['vocabSize'] if self.lm else task['featureSize']
        classes = task['vocabSize'] if self.lm else task['classes']
        self.rnn = CELL_CLASSES[config['cell']](input_size, config['hiddenSize'], num_layers=config['layers'],
                                                bidirectional=config['bidirectional'])
        self.head = nn.Linear(config['hiddenSize'] * directions, classes)
        self.optimizer = torch.optim.SGD(list(self.rnn.parameters()) + list(self.head.parameters()), lr=LEARNING_RATE)
        if self.lm:
            stream = torch.randint(0, VOCAB, (steps + 1, batch))
            self.tokens, self.targets = stream[:-1], stream[1:]
        else:
            self.features = torch.randn(steps, batch, task['featureSize'])
            self.targets = torch.randint(0, classes, (batch,))
        self.bidirectional = config['bidirectional']

    def run(self):
        self.optimizer.zero_grad()
        if self.lm:
            outputs, _ = self.rnn(F.one_hot(self.tokens, VOCAB).float())
            logits = self.head(outputs)
            loss = F.cross_entropy(logits.reshape(-1, VOCAB), self.targets.reshape(-1))
        else:
            _, h_n = self.rnn(self.features)
            h_n = h_n[0] if isinstance(h_n, tuple) else h_n
            top = torch.cat([h_n[-2], h_n[-1]], dim=1) if self.bidirectional else h_n[-1]
            loss = F.cross_entropy(self.head(top), self.targets)
        loss.backward()
        self.optimizer.step()
        return loss.item()


def now_ms():
    return time.perf_counter() * 1000.0


def warm_up(step):
    times = []
    start = now_ms()
    while len(times) < MIN_WARM_UP_STEPS or now_ms() - start < WARM_UP_MS:
        t0 = now_ms()
        step.run()
        times.append(now_ms() - t0)
    late = times[len(times) // 2:]
    return sum(late) / len(late)


def time_steps(step, count):
    start = now_ms()
    for _ in range(count):
        step.run()
    return (now_ms() - start) / count


def quantile(sorted_samples, p):
    position = (len(sorted_samples) - 1) * p
    below, above = int(position // 1), -int(-position // 1)
    return sorted_samples[below] + (sorted_samples[above] - sorted_samples[below]) * (position - below)


def to_row(config, steps_per_rep, samples, blas):
    s = sorted(samples)
    median = statistics.median(s)
    r = lambda x: round(x, 3)
    return {
        'config': config['id'], 'cell': config['cell'], 'backend': 'pytorch',
        'msPerStep': r(median), 'tokensPerSecond': round(config['steps'] * config['batchSize'] * 1000 / median),
        'msMin': r(s[0]), 'msMax': r(s[-1]), 'msQ1': r(quantile(s, 0.25)), 'msQ3': r(quantile(s, 0.75)),
        'reps': len(s), 'stepsPerRep': steps_per_rep,
        'hiddenSize': config['hiddenSize'], 'layers': config['layers'], 'bidirectional': config['bidirectional'],
        'steps': config['steps'], 'batchSize': config['batchSize'],
        'samplesMs': [r(x) for x in samples], 'torch': torch.__version__, 'threads': torch.get_num_threads(),
        'blas': blas,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--json', action='store_true')
    parser.add_argument('--config', default='')
    parser.add_argument('--reps', type=int, default=5)
    parser.add_argument('--blas', action='store_true', help='print the BLAS torch runs on (JSON) and exit')
    args = parser.parse_args()
    blas = blas_info()
    if args.blas:
        print(json.dumps(blas, separators=(',', ':')))
        return
    ids = [s.strip() for s in args.config.split(',') if s.strip()]
    unknown = sorted(set(ids) - {c['id'] for c in BENCH_CONFIGS})
    if unknown or args.reps < 1:
        parser.error(f'unknown config {unknown}' if unknown else '--reps must be >= 1')
    configs = [c for c in BENCH_CONFIGS if not ids or c['id'] in ids]
    progress = (lambda text: None) if args.json else (lambda text: print(text, file=sys.stderr))

    torch.set_num_threads(1)
    with threadpool_limits(limits=1):
        progress(f'torch {torch.__version__}, 1 thread, BLAS {describe_blas(blas)}; '
                 f'warming up {", ".join(map(row_label, configs))}...')
        steps = [TrainingStep(c) for c in configs]
        steps_per_rep = [max(1, round(TARGET_REP_MS / warm_up(s))) for s in steps]
        samples = [[] for _ in steps]
        for round_index in range(args.reps):
            for i, step in enumerate(steps):
                samples[i].append(time_steps(step, steps_per_rep[i]))
            progress(f'round {round_index + 1}/{args.reps}')
    rows = [to_row(c, n, s, blas) for c, n, s in zip(configs, steps_per_rep, samples)]
    if args.json:
        for row in rows:
            print(json.dumps(row, separators=(',', ':')))
    else:
        print(f"BLAS: {describe_blas(blas)}")
        print(f"{'config':8} {'cell':5} {'ms/step':>9} {'min-max':>17} {'tokens/s':>9}")
        for c, row in zip(configs, rows):
            print(f"{row_label(c):8} {row['cell']:5} {row['msPerStep']:9.2f} "
                  f"{row['msMin']:8.2f}-{row['msMax']:<8.2f} {row['tokensPerSecond']:9d}")


if __name__ == '__main__':
    main()
