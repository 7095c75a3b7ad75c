"""Time-series windows over CSV columns for data.py (the build inlines this file there), as
src/data/timeSeries.ts and prepareSeries.ts build them, with the run's normalization.json statistics.
With raw rows x (N x C), target columns c_1 ... c_Y, window W, horizon h and k forecast steps:
    inputs    z[t] = (x[t] - mean) / std, or with data.difference (x[t] - x[t-1] - mean) / std, in float64
              from the float64 cells, stored as float32; then the row's calendar sin/cos pairs
    targets   (x[j+s][c_y] - mean_c) / std_c, or (x[j+s][c_y] - x[t][c_y] - mean_c) / std_c differenced
    many-to-one   one example per first target row j: inputs of rows j-h-W+1 ... j-h, k x Y targets
    many-to-many  rows tiled into windows of W steps, step t predicting row t + h (steps x Y targets)
data.groupBy windows each series on its own (normalize "perSeries": its own statistics); the
validation tail is the last fraction of each series; a validation or test file continues the
training rows of its series (its first windows take their context from them), a new series stands alone.
"""
import datetime
import math

import torch


def target_names(target):
    return [] if target is None else [target] if isinstance(target, str) else list(target)


def as_series(columns, file, features):
    """A file's columns as a series, with the calendar features of its time column (sin, cos per feature)."""
    calendar = []
    if features and columns["times"] is not None:
        dates = [EPOCH + datetime.timedelta(milliseconds=ms) for ms in columns["times"]]
        for feature in features:
            angles = [2 * math.pi * calendar_phase(feature, t) for t in dates]
            calendar.extend(([math.sin(a) for a in angles], [math.cos(a) for a in angles]))
    return {"values": columns["values"], "calendar": calendar, "lines": columns["lines"], "files": [file] * len(columns["lines"])}


def append_series(a, b):
    return {key: [u + v for u, v in zip(a[key], b[key])] if key in ("values", "calendar") else a[key] + b[key] for key in a}


def series_windows(series, from_target, to_target, options, stats):
    """Examples whose targets all lie in rows [from_target, to_target) (src/data/timeSeries.ts seriesWindows)."""
    W, h, k, diff = options["window"], options["horizon"], options["forecast_steps"], options["difference"]
    columns, p = options["target_columns"], options["season"]
    Y = len(columns)
    x = series["values"]
    rows = []
    for t in range(len(series["lines"])):
        z = [math.nan if diff and t == 0 else (x[c][t] - x[c][t - 1] if diff else x[c][t]) for c in range(len(x))]
        rows.append([(v - stats["mean"][c]) / stats["std"][c] for c, v in enumerate(z)] + [column[t] for column in series["calendar"]])
    inputs = torch.tensor(rows, dtype=torch.float64).float()

    def target(j, t, y):
        c = columns[y]
        return ((x[c][j] - x[c][t] if diff else x[c][j]) - stats["mean"][c]) / stats["std"][c]

    def seasonal(r, t, y):
        """The seasonal naive forecast of row r seen from row t: the latest observed row in r's phase."""
        row = r - p * math.ceil((r - t) / p)
        return x[columns[y]][row] if row >= 0 else math.nan

    def example(start, steps, points, shape):
        """points: (target row, last observed row, target) of each output, in order."""
        e = {"kind": "features", "input": inputs[start:start + steps], "steps": steps,
             "target": torch.tensor([target(j, t, y) for j, t, y in points], dtype=torch.float64).float().reshape(shape)}
        if diff:
            e["base"] = [x[columns[y]][t] for _, t, y in points]
        if p:
            e["seasonal"] = [seasonal(j, t, y) for j, t, y in points]
        return e

    examples = []
    if options["task"] == "many-to-one":
        for j in range(max(from_target, (1 if diff else 0) + W - 1 + h), to_target - k + 1):
            points = [(j + i // Y, j - h, i % Y) for i in range(k * Y)]
            examples.append(example(j - h - W + 1, W, points, (k * Y,)))
        return examples
    start = max(1 if diff else 0, from_target - h)
    while start + h < to_target:
        steps = min(W, to_target - h - start)
        points = [(start + s + h, start + s, y) for s in range(steps) for y in range(Y)]
        examples.append(example(start, steps, points, (steps, Y)))
        start += W
    return examples


def target_level_std(parts, columns):
    """The population standard deviation of each target column's levels over the training rows (0 -> 1)."""
    out = []
    for c in columns:
        levels = [v for series, end in parts for v in series["values"][c][:end]]
        mean = sum(levels) / max(1, len(levels))
        variance = sum((v - mean) * (v - mean) for v in levels) / max(1, len(levels))
        out.append(math.sqrt(variance) if variance > 1e-12 else 1)
    return out


def read_series(spec, text_of, norm):
    """(train, validation, test or None, each target's training std) of a CSV time series (prepareSeries.ts)."""
    data = spec["data"]
    features = data.get("calendar") or []
    grouped = data.get("groupBy") is not None

    def read(path, columns):
        return read_csv_groups(text_of(path), path, columns, data.get("time"), data.get("groupBy"), data.get("delimiter"), data.get("missing") or "error")

    targets = target_names(data.get("target"))
    wanted = data["columns"] + [t for t in targets if t not in data["columns"]] if data.get("columns") else None
    train_groups = read(data["train"], wanted)
    lacking = [t for t in targets if t not in train_groups[0][1]["names"]]
    if lacking:
        train_groups = read(data["train"], train_groups[0][1]["names"] + lacking)
    names = train_groups[0][1]["names"]
    if norm.get("columns") not in (None, names):
        raise ValueError("%s: columns %s, but normalization.json has %s" % (data["train"], names, norm["columns"]))
    columns = [names.index(t) for t in (targets or [names[-1]])]
    options = {"task": "many-to-many" if spec["task"] == "many-to-many" else "many-to-one", "window": data["window"],
               "horizon": data["horizon"], "difference": data["difference"], "target_columns": columns,
               "forecast_steps": data.get("forecastSteps") or 1, "season": data.get("season")}
    validation = data["validation"]
    held = (lambda rows: 0) if isinstance(validation, str) else (lambda rows: held_out_count(rows, validation["fraction"]))  # noqa: E731
    train = {}
    for id_, table in train_groups:
        series = as_series(table, data["train"], features)
        train[id_] = (series, len(series["lines"]) - held(len(series["lines"])))
    per_series = norm.get("series")

    def windows(id_, series, a, b):
        own = (per_series or {}).get(id_)
        examples = series_windows(series, a, b, options, own or norm)
        for e in examples:
            if grouped:
                e["series"] = id_
        return examples

    def after(path):
        examples = []
        for id_, table in read(path, names):
            more = as_series(table, path, features)
            if per_series is not None and id_ not in per_series:
                raise DataError(path, table["lines"][0], 1, 'series "%s" is not in the training data: expected one of its series (data.normalize "perSeries" needs each series\' statistics)' % id_)
            if id_ not in train:
                examples.extend(windows(id_, more, 0, len(more["lines"])))
                continue
            before = train[id_][0]
            rows = len(before["lines"])
            examples.extend(windows(id_, append_series(before, more), rows, rows + len(more["lines"])))
        return examples

    train_examples = [e for id_, (series, end) in train.items() for e in windows(id_, series, 0, end)]
    if not train_examples:
        raise ValueError("%s: too few rows for one training window (window %d + horizon %d)" % (data["train"], options["window"], options["horizon"]))
    held_out = after(validation) if isinstance(validation, str) else [e for id_, (s, end) in train.items() for e in windows(id_, s, end, len(s["lines"]))]
    test = after(data["test"]) if data.get("test") else None
    return train_examples, held_out, test, target_level_std(list(train.values()), columns)
