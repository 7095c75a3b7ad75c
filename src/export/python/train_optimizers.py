"""RNN Lab's optimizers and learning-rate schedules in torch.optim terms, for train.py (the build inlines
this file there): src/engine/optimizers.ts `createOptimizer` and `learningRateAt`."""
import math

import torch


def learning_rate_at(schedule, base, epoch, total):
    """constant; step: base * gamma^(epoch // stepSize); cosine: min + (base - min)(1 + cos(pi * epoch / total)) / 2."""
    if schedule["type"] == "step":
        return base * schedule["gamma"] ** (epoch // schedule["stepSize"])
    if schedule["type"] == "cosine":
        low = schedule["minLearningRate"]
        return low + (base - low) * (1 + math.cos(math.pi * min(max(epoch / total, 0), 1))) / 2
    return base


def make_optimizer(config, model):
    """RNN Lab's optimizer with PyTorch's meaning of each hyper-parameter; weight decay spares biases."""
    decay = [p for n, p in model.named_parameters() if "bias" not in n]
    no_decay = [p for n, p in model.named_parameters() if "bias" in n]
    kind, lr = config["type"], config["learningRate"]
    weight_decay = config.get("weightDecay")
    if weight_decay is None:
        weight_decay = 1e-2 if kind == "adamw" else 0
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0}]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=config["momentum"], nesterov=config["nesterov"])
    if kind in ("adam", "adamw"):
        cls = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
        return cls(groups, lr=lr, betas=(config["beta1"], config["beta2"]), eps=config["epsilon"])
    if kind == "adagrad":
        return torch.optim.Adagrad(groups, lr=lr, eps=config.get("epsilon", 1e-10))
    return torch.optim.RMSprop(groups, lr=lr, alpha=config["alpha"], eps=config["epsilon"], momentum=config["momentum"])
