"""Time-series forecast errors for train.py (the build inlines this file there), in original units and
as levels, under RNN Lab's names (src/train/forecastMetrics.ts, evaluation.ts addRegressionErrors):
    level         o * std_c + mean_c of target y's column c (the series' own statistics with
                  normalize "perSeries"), plus the example's base level when the series is differenced
    naive         the last observed level: base when differenced, else the target column's last input
    one target    rmse, naiveRmse, rmse@<s> per forecast step (k > 1), seasonalNaiveRmse (data.season)
    several       rmse.<column> per target, nrmse = mean of rmse.<column> / its training std,
                  seasonalNaiveRmse.<column>
"""
import math


def target_columns(norm):
    """Each target's column among the input columns, in output order."""
    names = norm.get("targets") or ([norm["target"]] if "target" in norm else [])
    return [norm["columns"].index(n) for n in names if n in (norm.get("columns") or [])]


def is_forecast_error(name):
    """Whether a metric is a forecast error (they all improve downwards)."""
    return name in ("rmse", "naiveRmse", "nrmse", "seasonalNaiveRmse") or name.startswith(("rmse.", "rmse@", "seasonalNaiveRmse."))


class ForecastErrors:
    def __init__(self, norm, target_std, seasonal):
        self.norm = norm
        self.targets = norm.get("targets") or [norm["target"]]
        self.k = norm.get("forecastSteps") or 1
        self.std = target_std
        self.seasonal = seasonal
        Y = len(self.targets)
        self.squared, self.naive_squared = [0.0] * (self.k * Y), [0.0] * (self.k * Y)
        self.seasonal_squared, self.seasonal_count = [0.0] * Y, [0] * Y
        self.count = 0

    def add(self, s, y, predicted, naive, actual, seasonal_naive=math.nan):
        i = s * len(self.targets) + y
        self.squared[i] += (predicted - actual) * (predicted - actual)
        self.naive_squared[i] += (naive - actual) * (naive - actual)
        if not math.isnan(seasonal_naive):
            self.seasonal_squared[y] += (seasonal_naive - actual) * (seasonal_naive - actual)
            self.seasonal_count[y] += 1
        if i == 0:
            self.count += 1

    def add_batch(self, batch, outputs, examples, aligned):
        """Every forecast point of a batch: outputs B x O (aligned: T x B x O), examples in batch order."""
        columns = target_columns(self.norm)
        differenced = bool(self.norm.get("difference")) and len(columns) > 0
        outputs, targets = outputs.tolist(), batch["target_values"].tolist()
        features = batch["features"].tolist() if "features" in batch else None
        O = len(outputs[0][0]) if aligned else len(outputs[0])
        Y = len(columns) or O
        for b, e in enumerate(examples):
            own = (self.norm.get("series") or {}).get(e.get("series")) or self.norm

            def level(v, y, base):
                scale, shift = (own["std"][columns[y]], own["mean"][columns[y]]) if y < len(columns) else (1, 0)
                return v * scale + shift + ((0 if base is None else base) if differenced else 0)

            length = int(batch["lengths"][b])
            for step in range(length if aligned else 1):
                t = step if aligned else length - 1
                for i in range(O):
                    y = i % Y
                    at = (step * O if aligned else 0) + i
                    base = e["base"][at] if "base" in e else None
                    if differenced:
                        naive = math.nan if base is None else base
                    else:
                        naive = level(features[t][b][columns[y]], y, None) if y < len(columns) and features else math.nan
                    predicted, actual = (outputs[t][b][i], targets[t][b][i]) if aligned else (outputs[b][i], targets[b][i])
                    seasonal = e["seasonal"][at] if "seasonal" in e else math.nan
                    self.add(0 if aligned else i // Y, y, level(predicted, y, base), naive, level(actual, y, base), seasonal)

    def metrics(self):
        Y, k = len(self.targets), self.k

        def rmse_of(sums, pick):
            total, points = 0.0, 0
            for s in range(k):
                for y in range(Y):
                    if pick(s, y):
                        total += sums[s * Y + y]
                        points += self.count
            return math.sqrt(total / points)

        def seasonal_rmse(y):
            return math.sqrt(self.seasonal_squared[y] / self.seasonal_count[y]) if self.seasonal_count[y] else math.nan

        if Y > 1:
            per_target = [rmse_of(self.squared, lambda s, y2, y=y: y2 == y) for y in range(Y)]
            metrics = {"rmse.%s" % t: per_target[y] for y, t in enumerate(self.targets)}
            metrics["nrmse"] = sum(r / self.std[y] for y, r in enumerate(per_target)) / Y
            if self.seasonal:
                metrics.update(("seasonalNaiveRmse.%s" % t, seasonal_rmse(y)) for y, t in enumerate(self.targets))
            return metrics
        metrics = {"rmse": rmse_of(self.squared, lambda s, y: True), "naiveRmse": rmse_of(self.naive_squared, lambda s, y: True)}
        if k > 1:
            metrics.update(("rmse@%d" % (s + 1), rmse_of(self.squared, lambda s2, y, s=s: s2 == s)) for s in range(k))
        if self.seasonal:
            metrics["seasonalNaiveRmse"] = seasonal_rmse(0)
        return metrics
