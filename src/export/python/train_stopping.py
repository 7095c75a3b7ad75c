"""When train.py stops, as RNN Lab decides it (the build inlines this file there): the divergence
detector (src/train/divergence.ts) and a diverged run's message (src/train/epochLoop.ts `diverged`),
the best epoch and early stopping (src/train/earlyStopping.ts `watchedValue`, `judgeEpoch`), and the
JavaScript number formatting those messages use, so that they read word for word as RNN Lab's."""
import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

from forecast_metrics import is_forecast_error


def js_string(x):
    """JavaScript's String(x) of a number: the shortest digits that round-trip, exponent outside [1e-6, 1e21)."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    d = "".join(map(str, digits))
    k, n = len(d), len(d) + exponent
    if k <= n <= 21:
        body = d + "0" * (n - k)
    elif 0 < n <= 21:
        body = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * -n + d
    else:
        body = d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if n > 0 else "-") + str(abs(n - 1))
    return ("-" if sign else "") + body


def _significant(x, p):
    """(p digits, exponent of the first): |x| rounded to p significant digits, half up on its exact value as JavaScript rounds."""
    with localcontext() as ctx:
        ctx.prec = 1100
        exact = abs(Decimal(x))
        if exact == 0:
            return "0" * p, 0
        e = exact.adjusted()
        q = int(exact.scaleb(p - 1 - e).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if q >= 10 ** p:
            e, q = e + 1, q // 10
        return str(q), e


def _exponent(e):
    return "e" + ("+" if e >= 0 else "-") + str(abs(e))


def js_to_exponential(x, fraction):
    """JavaScript's x.toExponential(fraction) of a finite number."""
    d, e = _significant(x, fraction + 1)
    return ("-" if x < 0 else "") + d[0] + ("." + d[1:] if fraction else "") + _exponent(e)


def js_to_precision(x, p):
    """JavaScript's x.toPrecision(p) of a finite number."""
    d, e = _significant(x, p)
    sign = "-" if x < 0 else ""
    if e < -6 or e >= p:
        return sign + d[0] + ("." + d[1:] if p > 1 else "") + _exponent(e)
    if e >= 0:
        return sign + d[:e + 1] + ("." + d[e + 1:] if p > e + 1 else "")
    return sign + "0." + "0" * (-e - 1) + d


def js_to_fixed(x, fraction):
    """JavaScript's x.toFixed(fraction) of a finite number."""
    if abs(x) >= 1e21:
        return js_string(x)
    with localcontext() as ctx:
        ctx.prec = 1100
        return format(Decimal(x).quantize(Decimal(1).scaleb(-fraction), rounding=ROUND_HALF_UP), "f")


def format_loss(loss):
    return js_to_exponential(loss, 2) if abs(loss) >= 1e4 else js_to_precision(loss, 4)


class Diverged(Exception):
    """The loss, the gradient or a weight stopped being finite, or the loss exploded: the run stops as `diverged`."""


def diverged_message(training, epoch, index, steps, what):
    """A diverged run's message: epoch and batch (0-based), the optimizer's updates so far, what went wrong, and the cure."""
    clip = "set clipNorm (e.g. 1)" if training["clipNorm"] is None else "a smaller clipNorm (now %s)" % js_string(training["clipNorm"])
    return ("training diverged at epoch %d, batch %d (update %d): %s; no exploded or NaN weights were saved; "
            "try a lower learningRate (now %s) or %s") % (epoch + 1, index + 1, steps + 1, what, js_string(training["optimizer"]["learningRate"]), clip)


class Divergence:
    """Divergence beyond NaN (`training.divergence`, None: off). The run's first batch (before any update)
    sets the baseline; a batch whose loss exceeds lossFactor x baseline is exploded, and patienceBatches
    exploded batches in a row (or a whole epoch of them, when an epoch is shorter) stop the run. A spike
    that recovers within the patience resets the count."""

    def __init__(self, options, batches_per_epoch):
        self.options = options
        self.patience = max(1, min(options["patienceBatches"] if options else 1, batches_per_epoch))
        self.baseline = None
        self.batches_above = 0

    def observe(self, loss):
        """Records one batch's (finite) loss; returns what exploded once the run counts as diverged, else None."""
        if not self.options:
            return None
        if self.baseline is None:
            self.baseline = loss
            return None
        if not self.baseline > 0:  # a baseline of 0 cannot be scaled: only NaN/Inf stops such a run
            return None
        factor = self.options["lossFactor"]
        self.batches_above = self.batches_above + 1 if loss > factor * self.baseline else 0
        if self.batches_above < self.patience:
            return None
        return "the loss exploded: %s, above %s × the first batch's loss (%s) for %d batches in a row" % (
            format_loss(loss), js_string(factor), format_loss(self.baseline), self.batches_above)

    @property
    def exploding(self):
        """True while the latest batches are exploded: such weights are never kept as best."""
        return self.batches_above > 0


DOWNWARD = {"loss", "rmse", "naiveRmse", "perplexity", "bitsPerChar", "bitsPerToken", "tokenErrorRate"}


def improves_downward(metric):
    """Loss, rmse, perplexity, bits and error rates (forecast errors too) improve downwards, the rest (accuracies, macroF1) upwards."""
    return metric in DOWNWARD or is_forecast_error(metric)


class EarlyStopping:
    """The best epoch and early stopping (`training.earlyStopping`, None: off, when validation loss decides
    the best epoch). Monitored values are the metric itself when it improves downwards, else its negation."""

    def __init__(self, stopping):
        self.stopping = stopping
        self.split, self.metric = (stopping["monitor"] if stopping else "validation loss").split()
        self.best = None  # the best epoch's monitored value
        self.epochs_without_improvement = 0

    def watched(self, train_metrics, validation):
        """(metrics, monitored value) of the monitored split (None when it has none); the loss when the metric is missing or NaN."""
        metrics = train_metrics if self.split == "train" else validation
        if metrics is None:
            return None
        metric = "tokenAccuracy" if self.metric == "accuracy" and "accuracy" not in metrics and "tokenAccuracy" in metrics else self.metric
        value = metrics.get(metric) if self.stopping else None
        if value is None or math.isnan(value):
            return metrics, metrics["loss"]
        return metrics, value if improves_downward(metric) else -value

    def judge_epoch(self, epoch, watched, exploding):
        """(improved: a new best, new_best: write best weights, stop). An epoch inside a loss explosion or with a
        non-finite value never improves; a new best resets the patience only when it beats the best by more than minDelta."""
        improved = False
        if watched is not None:
            monitored = watched[1]
            if exploding or not math.isfinite(monitored):
                self.epochs_without_improvement += 1
            elif self.best is not None and not monitored < self.best:
                self.epochs_without_improvement += 1
            else:
                min_delta = self.stopping["minDelta"] if self.stopping else 0
                fresh = self.best is None or monitored < self.best - min_delta
                self.epochs_without_improvement = 0 if fresh else self.epochs_without_improvement + 1
                self.best, improved = monitored, True
        stop = self.stopping is not None and watched is not None and self.epochs_without_improvement >= self.stopping["patience"]
        return improved, improved or (watched is None and not exploding), stop
