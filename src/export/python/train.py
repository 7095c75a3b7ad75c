"""Train an RNN Lab network in PyTorch, as RNN Lab trains it: the spec's optimizer, schedule, clipping,
early stopping and metrics, under their RNN Lab names, on the batches data.py builds.
Needs Python >= 3.9 and PyTorch >= 1.13, nothing else.

    python train.py [--data-dir DIR] [--epochs N] [--device cpu|cuda] [--out DIR] [--threads N]
    torchrun --nproc_per_node=N train.py ...       DistributedDataParallel (gloo on CPU, nccl on GPU)

Beside this file: model.py, data.py, spec.json, vocab.json, normalization.json (when the run has them).
--data-dir is the folder the spec's data paths are relative to (default: the spec's folder at export).
--out DIR writes a run folder in RNN Lab's layout (spec.json, summary.json, metrics.jsonl,
best.safetensors, last.safetensors, vocab.json, normalization.json); `rnn-lab import --run DIR` adds
it to the runs folder. --threads N: torch.set_num_threads(N) in each process (default: PyTorch's;
OpenBLAS also reads OMP_NUM_THREADS / OPENBLAS_NUM_THREADS). Under torchrun each epoch's batches are dealt to the ranks in turn (record
tasks: batch i to rank i % N, the last batches dropped so every rank takes as many steps) or each rank
reads its own B stripes of the stream (language models); rank 0 evaluates and writes.
A non-finite loss, gradient norm or weight, or a loss explosion (`training.divergence`: lossFactor x the
first batch's loss for patienceBatches batches in a row), stops the run as RNN Lab stops it: an `error`
event, summary.json with status "diverged" and RNN Lab's message, exit code 1; weights taken inside an
explosion are never kept as best. Early stopping and the best epoch follow RNN Lab's rules too.
The weights start from PyTorch's initialisation and dropout draws from torch's generator: the batches
equal RNN Lab's, the random streams do not.
"""
import argparse
import datetime
import json
import math
import os
import shutil
import sys
import time
from decimal import ROUND_HALF_UP, Decimal, localcontext

import torch
import torch.distributed as dist
import torch.nn.functional as F

import data as rnnlab_data
import model as exported

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_FILE = None  # the export writes the run's spec file here: its folder is the default --data-dir

from train_optimizers import learning_rate_at, make_optimizer  # inlined here by the build
from train_metrics import Decoding, Sums  # inlined here by the build (scripts/build-python.mjs)
from forecast_metrics import ForecastErrors, is_forecast_error  # inlined here by the build (scripts/build-python.mjs)
from train_stopping import Diverged, Divergence, EarlyStopping, diverged_message, js_string, js_to_fixed  # inlined here by the build


class Stepper(torch.nn.Module):
    """The model's forward as DistributedDataParallel wraps it: (outputs, the final state to carry)."""

    def __init__(self, model, task):
        super().__init__()
        self.model = model
        self.task = task

    def forward(self, inputs=None, lengths=None, state=None, init_vectors=None, decoder_input=None, decoder_lengths=None):
        if self.task == "many-to-many":
            return self.model.forward_with_state(inputs, lengths, state)
        if self.task == "seq2seq":
            return self.model(inputs, lengths, decoder_input, decoder_lengths), None
        if self.task == "one-to-many":
            return self.model(init_vectors, decoder_input, decoder_lengths), None
        return self.model(inputs, lengths), None


class Trainer:
    def __init__(self, args):
        self.args = args
        self.spec = exported.read_json(HERE, "spec.json")
        self.training = self.spec["training"]
        if args.epochs is not None:
            self.training["epochs"] = args.epochs
        self.distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
        self.device = torch.device(args.device if args.device != "cuda" or not self.distributed else "cuda:%d" % int(os.environ.get("LOCAL_RANK", 0)))
        if self.distributed:
            dist.init_process_group("nccl" if args.device == "cuda" else "gloo")
            if args.device == "cuda":
                torch.cuda.set_device(self.device)
        self.rank = dist.get_rank() if self.distributed else 0
        self.world = dist.get_world_size() if self.distributed else 1
        self.data = rnnlab_data.Dataset(self.spec, args.data_dir, HERE)
        torch.manual_seed(self.training["seed"])
        self.net = exported.CONFIG
        self.model = exported.build_model(self.net).to(self.device)
        self.stepper = Stepper(self.model, self.spec["task"])
        self.ddp = torch.nn.parallel.DistributedDataParallel(self.stepper) if self.distributed else self.stepper
        self.optimizer = make_optimizer(self.training["optimizer"], self.model)
        weights = self.net["output"].get("weights")
        self.class_weights = torch.tensor(weights, dtype=torch.float64) if weights else None
        self.task = self.spec["task"]
        self.kind = "stream" if self.data.stream else self.net["output"]["kind"]
        self.unit = self.spec["data"]["unit"]
        self.macro_f1 = self.kind == "classes" and self.task in ("many-to-one", "many-to-many") and self.data.labels is not None
        self.updates = 0  # the optimizer's steps so far, as a diverged run's message counts them
        self.divergence = None  # Divergence, made by the first epoch (its patience is at most an epoch)

    # --- one batch -----------------------------------------------------------------------------

    def forward(self, net, batch, state=None):
        """(outputs, targets, final state): rows x O against rows, as RNN Lab scores them."""
        on_device = {key: batch[name].to(self.device) for key, name in (("inputs", "tokens"), ("inputs", "features"),
                     ("init_vectors", "init_vectors"), ("decoder_input", "decoder_input")) if name in batch}
        outputs, final = net(lengths=batch["lengths"], state=state, decoder_lengths=batch.get("decoder_lengths"), **on_device)
        self.last_outputs = outputs
        if "decoder_target" in batch:
            return outputs.reshape(-1, outputs.shape[-1]), batch["decoder_target"].to(self.device).reshape(-1), None
        if self.task == "many-to-one":
            target = batch["class_labels"] if "class_labels" in batch else batch["target_values"]
            return outputs, target.to(self.device), None
        if "target_values" in batch:  # an aligned time series: the rows of steps t < length
            scored = torch.arange(outputs.shape[0]).unsqueeze(1) < batch["lengths"].unsqueeze(0)
            return outputs[scored.to(self.device)], batch["target_values"].to(self.device)[scored.to(self.device)], final
        targets = batch["target_tokens"].clone().to(self.device)
        targets[:batch.get("loss_from", 0)] = -1
        return outputs.reshape(-1, outputs.shape[-1]), targets.reshape(-1), final

    def loss(self, outputs, targets):
        if self.kind == "values":
            return F.mse_loss(outputs, targets)
        known = targets.clone()
        known[known < 0] = -1
        weight = self.class_weights.to(outputs.dtype).to(self.device) if self.class_weights is not None else None
        return F.cross_entropy(outputs, known, weight=weight, ignore_index=-1)

    def step(self, batch, sums, epoch, index, state=None):
        """One update; raises Diverged (before touching the weights) when the loss or the gradient norm is
        not finite or the loss exploded (the mean over the ranks under torchrun, so that every rank stops alike)."""
        self.optimizer.zero_grad()
        outputs, targets, final = self.forward(self.ddp, batch, state)
        loss = self.loss(outputs, targets)
        value = float(loss)
        if self.distributed:
            mean = torch.tensor([value], dtype=torch.float64, device=self.device)
            dist.all_reduce(mean)
            value = float(mean) / self.world
        if not math.isfinite(value):
            self.diverge(epoch, index, "the loss is %s" % js_string(value))
        exploded = self.divergence.observe(value)
        if exploded:
            self.diverge(epoch, index, exploded)
        loss.backward()
        clip = self.training["clipNorm"]
        norm = float(torch.nn.utils.clip_grad_norm_(self.model.parameters(), clip if clip is not None else math.inf))
        if not math.isfinite(norm):
            self.diverge(epoch, index, "the gradient norm is %s (loss %s)" % (js_string(norm), js_to_fixed(value, 4)))
        if self.training["clipValue"] is not None:
            torch.nn.utils.clip_grad_value_(self.model.parameters(), self.training["clipValue"])
        self.optimizer.step()
        self.updates += 1
        sums.add(outputs.detach().cpu(), targets.cpu(), self.class_weights)
        return final

    def diverge(self, epoch, index, what):
        raise Diverged(diverged_message(self.training, epoch, index, self.updates, what))

    def watch_divergence(self, batches):
        if self.divergence is None:
            self.divergence = Divergence(self.training.get("divergence"), batches)

    # --- epochs --------------------------------------------------------------------------------

    def train_epoch(self, epoch):
        self.ddp.train()
        sums = Sums(self.kind, self.net["output"]["size"], self.macro_f1)
        if self.data.stream:
            B = self.training["batchSize"]
            layout, windows = self.data.stream_windows(self.data.train, B * self.world)
            mine = layout[0] // self.world
            state = None
            batches = len(windows)
            self.watch_divergence(batches)
            for k, window in enumerate(windows):
                batch = rnnlab_data.window_batch(self.data.train, layout, window, self.rank * mine, mine)
                final = self.step(batch, sums, epoch, k, state)
                nxt = windows[k + 1] if k + 1 < len(windows) else None
                if nxt is None:
                    break
                if nxt[0] == window[1]:
                    state = detach(final)
                elif nxt[0] > window[0]:
                    advance = rnnlab_data.window_batch(self.data.train, layout, (window[0], nxt[0], 0), self.rank * mine, mine)
                    with torch.no_grad():
                        state = detach(self.stepper(advance["tokens"].to(self.device), advance["lengths"], state)[1])
        else:
            order = self.data.epoch_order(epoch)
            order = order[:len(order) - len(order) % self.world] if self.world > 1 else order
            batches = len(order) // self.world
            self.watch_divergence(batches)
            for i in range(self.rank, len(order), self.world):
                self.step(self.data.batch([self.data.train[k] for k in order[i]]), sums, epoch, i)
        if not all(bool(torch.isfinite(p).all()) for p in self.model.parameters()):
            self.diverge(epoch, batches - 1, "a weight became non-finite")
        return sums.reduce().metrics(self.task)

    @torch.no_grad()
    def evaluate(self, split, continuous=False):
        """RNN Lab's metrics of a split (language models: windows of forwardSteps from a zero state,
        one stripe when continuous, as the final metrics)."""
        self.model.eval()
        sums = Sums(self.kind, self.net["output"]["size"], self.macro_f1)
        if self.data.stream:
            bptt = self.training["bptt"]
            steps = bptt["forwardSteps"] if bptt["mode"] == "truncated" else self.spec["data"]["sequenceLength"]
            layout = rnnlab_data.stripe_layout(len(split), 1 if continuous else self.training["batchSize"])
            state = None
            for window in rnnlab_data.truncated_windows(layout[1], steps, steps):
                outputs, targets, state = self.forward(self.stepper, rnnlab_data.window_batch(split, layout, window), state)
                sums.add(outputs.cpu(), targets.cpu(), self.class_weights)
            return sums.metrics(self.task, self.unit, evaluation=True)
        B = self.training["batchSize"]
        decoding = Decoding() if self.task in ("seq2seq", "one-to-many") else None
        forecast = ForecastErrors(self.data.normalization, self.data.target_std, "seasonal" in split[0]) if self.data.series and split else None
        for i in range(0, len(split), B):
            chunk = split[i:i + B]
            batch = self.data.batch(chunk)
            outputs, targets, _ = self.forward(self.stepper, batch)
            sums.add(outputs.cpu(), targets.cpu(), self.class_weights)
            if forecast:
                forecast.add_batch(batch, self.last_outputs.cpu(), chunk, self.task == "many-to-many")
            if decoding:
                self.decode(batch, chunk, decoding)
        metrics = sums.metrics(self.task)
        if decoding:
            metrics.update(decoding.metrics())
        if forecast:
            metrics.update(forecast.metrics())
        elif self.kind == "values":
            metrics["rmse"] = math.sqrt(metrics["loss"])
        return metrics

    def decode(self, batch, chunk, decoding):
        """Greedy decoding of each example (at most 3x its longest source or target), scored against its target."""
        vocab = self.data.output_vocab
        max_steps = 3 * max([1] + [max(e["steps"], len(e["target_tokens"])) for e in chunk])
        if self.task == "seq2seq":
            source = batch["tokens"] if "tokens" in batch else batch["features"]
            hypotheses = self.model.generate(source.to(self.device), batch["lengths"], vocab.bos, vocab.eos, max_steps)
        else:
            hypotheses = self.model.generate(batch["init_vectors"].to(self.device), vocab.bos, vocab.eos, max_steps)
        for (tokens, _, _), e in zip(hypotheses, chunk):
            reference = e["target_tokens"]
            decoding.add(tokens, reference[:-1] if reference and reference[-1] == vocab.eos else reference)

    def run(self):
        started = time.time()
        out = RunFolder(self.args.out, self) if self.args.out and self.rank == 0 else None
        try:
            status, best_state = self.train_epochs(out)
        except Diverged as error:
            self.stop_diverged(out, str(error), time.time() - started)
        last_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        identical = self.replicas_identical()
        if self.rank == 0 and self.distributed:
            print(json.dumps({"event": "replicas", "worldSize": self.world, "identical": identical}), flush=True)
        self.model.load_state_dict(best_state or last_state)
        split = "test" if self.data.test is not None and len(self.data.test) > 0 else "validation"
        metrics = self.evaluate(self.data.test if split == "test" else self.data.validation, continuous=True)
        if out and split == "test":
            out.lines.append({"epoch": out.completed, "split": "test", **metrics})
        if self.rank == 0:
            print(json.dumps({"event": "done", "metrics": metrics, "split": split}), flush=True)
        if out:
            out.finish(status, metrics, split, last_state, time.time() - started, identical)
        if self.distributed:
            dist.destroy_process_group()

    def train_epochs(self, out):
        """The epochs, up to early stopping: (status, the best epoch's weights or None)."""
        stopping = EarlyStopping(self.training.get("earlyStopping"))
        has_validation = len(self.data.validation) > 0
        best_state = None
        epochs = self.training["epochs"]
        for epoch in range(epochs):
            lr = learning_rate_at(self.training["schedule"], self.training["optimizer"]["learningRate"], epoch, epochs)
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            train_metrics = self.train_epoch(epoch)
            validation = self.evaluate(self.data.validation) if has_validation else None
            improved, new_best, stop = stopping.judge_epoch(epoch + 1, stopping.watched(train_metrics, validation), self.divergence.exploding)
            if new_best:
                best_state = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
            if self.rank == 0:
                print(json.dumps({"event": "metrics", "epoch": epoch + 1, "split": "train", "metrics": train_metrics}), flush=True)
                if validation:
                    print(json.dumps({"event": "metrics", "epoch": epoch + 1, "split": "validation", "metrics": validation}), flush=True)
            if out:
                out.epoch(epoch + 1, train_metrics, validation, improved, new_best)
            if stop:
                return "stopped-early", best_state
        return "completed", best_state

    def stop_diverged(self, out, message, elapsed):
        """As RNN Lab stops a diverged run: an error event, summary.json with status diverged and the message, exit 1."""
        if self.rank == 0:
            spec_file = SPEC_FILE or os.path.join(HERE, "spec.json")
            print(json.dumps({"event": "error", "file": spec_file, "line": 0, "column": 0, "message": message}), flush=True)
            print("%s: %s" % (spec_file, message), file=sys.stderr)
        if out:
            out.fail("diverged", message, elapsed)
        if self.distributed:
            dist.destroy_process_group()
        sys.exit(1)

    def replicas_identical(self):
        """Whether every rank holds the same weights: two checksums of their bits, gathered from every rank."""
        if not self.distributed:
            return True
        bits = torch.cat([p.detach().cpu().float().flatten() for p in self.model.parameters()]).view(torch.int32).long()
        mine = torch.stack([bits.sum(), (bits * (torch.arange(len(bits)) % 65521 + 1)).sum()])
        every = [torch.zeros_like(mine) for _ in range(self.world)]
        dist.all_gather(every, mine)
        return all(torch.equal(every[0], d) for d in every)


def detach(state):
    if isinstance(state, (list, tuple)):
        return type(state)(detach(s) for s in state)
    return state.detach()


class RunFolder:
    """An RNN Lab run folder written by rank 0."""

    def __init__(self, folder, trainer):
        self.folder, self.trainer = folder, trainer
        os.makedirs(folder, exist_ok=True)
        for name in ("vocab.json", "normalization.json"):
            if os.path.exists(os.path.join(HERE, name)):
                shutil.copyfile(os.path.join(HERE, name), os.path.join(folder, name))
        self.write("spec.json", trainer.spec)
        self.lines, self.best, self.completed = [], None, 0
        self.started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def write(self, name, value):
        with open(os.path.join(self.folder, name), "w", encoding="utf-8") as f:
            json.dump(value, f, indent=2)
            f.write("\n")

    def epoch(self, epoch, train_metrics, validation, improved, new_best):
        self.lines.append({"epoch": epoch, "split": "train", **train_metrics})
        if validation:
            self.lines.append({"epoch": epoch, "split": "validation", **validation})
        self.write_metrics()
        weights = self.trainer.model.state_dict()
        if new_best:
            exported.write_safetensors(weights, os.path.join(self.folder, "best.safetensors"), {"epoch": epoch})
        if improved:
            self.best = {"epoch": epoch, "metrics": validation or train_metrics}
        exported.write_safetensors(weights, os.path.join(self.folder, "last.safetensors"), {"epoch": epoch})
        self.completed = epoch

    def write_metrics(self):
        with open(os.path.join(self.folder, "metrics.jsonl"), "w", encoding="utf-8") as f:
            f.writelines(json.dumps(line) + "\n" for line in self.lines)

    def finish(self, status, metrics, split, last_state, elapsed, identical):
        self.write_metrics()
        exported.write_safetensors(last_state, os.path.join(self.folder, "last.safetensors"), {"epoch": self.completed})
        self.write_summary(status, elapsed, metrics=metrics, split=split, replicasIdentical=identical)

    def fail(self, status, message, elapsed):
        """summary.json of a run stopped by an error (diverged): no final metrics, the message; the weights stay the last epoch's."""
        self.write_metrics()
        self.write_summary(status, elapsed, metrics=None, split=None, message=message)

    def write_summary(self, status, elapsed, **fields):
        t = self.trainer
        self.write("summary.json", {
            "version": 1, "runId": os.path.basename(os.path.abspath(self.folder)), "name": t.spec["name"], "task": t.task,
            "status": status, "backend": "pytorch", "device": str(t.device), "worldSize": t.world, "threads": torch.get_num_threads(),
            "seed": t.training["seed"], "epochs": t.training["epochs"], "completedEpochs": self.completed,
            "parameters": sum(p.numel() for p in t.model.parameters()), "network": t.net,
            "startedAt": self.started, "elapsedMs": round(elapsed * 1000), "best": self.best,
            # where rnn-lab eval finds the data: a spec file in --data-dir, relative to this folder
            "specFile": os.path.relpath(os.path.join(os.path.abspath(t.args.data_dir), os.path.basename(SPEC_FILE or "spec.json")),
                                        os.path.abspath(self.folder)).replace(os.sep, "/"),
            **fields,
        })


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=os.path.dirname(SPEC_FILE) if SPEC_FILE else HERE, help="the folder the spec's data paths are relative to")
    parser.add_argument("--epochs", type=int, help="training.epochs instead of the spec's")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--out", help="write a run folder in RNN Lab's layout here (rank 0)")
    parser.add_argument("--threads", type=int, help="threads for PyTorch's CPU work in each process (torch.set_num_threads)")
    args = parser.parse_args()
    if args.threads is not None:
        if args.threads < 1:
            parser.error("--threads takes a positive integer, got %d" % args.threads)
        torch.set_num_threads(args.threads)
    Trainer(args).run()


if __name__ == "__main__":
    main()
