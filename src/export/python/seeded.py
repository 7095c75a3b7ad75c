"""RNN Lab's seeded randomness for data.py (the build inlines this file there), bit for bit: the
engine's generator (src/engine/random.ts: sfc32 seeded through splitmix32, 32-bit unsigned
arithmetic), each epoch's seed (src/train/trainer.ts epochSeed), the validation splits
(src/data/splits.ts) and each epoch's batches (src/train/batchPlan.ts)."""
import math

MASK = 0xFFFFFFFF
# src/train/batchPlan.ts: batches per sorting pool of the "bucket" batching.
BUCKET_POOL_BATCHES = 50


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
