"""The time-series part of an exported model.py (the build inlines it there): raw rows -> the
model's steps, and its normalised outputs -> values in original units, exactly as
src/data/seriesCodec.ts and src/data/timeColumn.ts do for rnn-lab predict:
    inputs    z[t] = (x[t] - mean) / std, or with difference (x[t] - x[t-1] - mean) / std (n rows -> n - 1 steps),
              then the sin/cos pairs of the row's calendar features (a row is then [time, values...])
    values    o*std_c + mean_c for output o of target y (column c), plus its last observed level x[t][c]
              with difference; steps x forecastSteps x targets with their shape
"""
import calendar
import datetime
import math
import re


ISO_8601 = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:[.,]\d+)?))?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?$")


def parse_time(text):
    """An ISO 8601 date or date-time → its wall-clock datetime as written (a zone offset is not applied)."""
    m = ISO_8601.match(str(text).strip())
    if not m:
        raise ValueError("expected an ISO 8601 date such as 2020-01-31, got %r" % (text,))
    second = float((m[6] or "0").replace(",", "."))
    if second >= 60:
        raise ValueError("expected seconds below 60 in %r" % (text,))
    return datetime.datetime(int(m[1]), int(m[2]), int(m[3] or 1), int(m[4] or 0), int(m[5] or 0)) + datetime.timedelta(milliseconds=math.floor(second * 1000 + 0.5))  # Math.round: halves up


def calendar_phase(feature, t):
    """The phase in [0, 1) of a calendar feature at datetime t."""
    if feature == "dayOfWeek":
        return t.weekday() / 7
    if feature == "dayOfMonth":
        return (t.day - 1) / calendar.monthrange(t.year, t.month)[1]
    if feature == "dayOfYear":
        return (t.timetuple().tm_yday - 1) / (366 if calendar.isleap(t.year) else 365)
    if feature == "month":
        return (t.month - 1) / 12
    if feature == "hour":
        return (t.hour + t.minute / 60 + (t.second + t.microsecond / 1e6) / 3600) / 24
    raise ValueError("unknown calendar feature %r" % (feature,))


def _series_targets(norm):
    """Each target's column among the input columns, in output order (empty for record features)."""
    norm = norm or {}
    columns = norm.get("columns") or []
    names = norm.get("targets") or ([norm["target"]] if "target" in norm else [])
    return [columns.index(name) for name in names if name in columns]


def _series_differenced(norm):
    return bool((norm or {}).get("difference")) and len(_series_targets(norm)) > 0


def series_of_input(model, raw):
    """(the statistics for a raw input, its rows): {"series": id, "rows": [...]} names a series, whose own
    statistics apply when each series has them (data.normalize "perSeries"); plain rows use the run's."""
    norm = model.normalization
    per_series = (norm or {}).get("series") or {}
    if not isinstance(raw, dict):
        if per_series:
            raise ValueError('expected {"series": id, "rows": [...]}: each series has its own statistics (data.normalize "perSeries")')
        return norm, raw
    if "series" not in raw or "rows" not in raw:
        raise ValueError('expected {"series": id, "rows": [...]}')
    series = str(raw["series"]) if isinstance(raw["series"], (int, float)) else raw["series"]
    if per_series and series not in per_series:
        raise ValueError("unknown series %r: expected one of %s" % (series, ", ".join(sorted(per_series)[:10])))
    own = per_series.get(series)
    return (dict(norm, mean=own["mean"], std=own["std"]) if own else norm), raw["rows"]


def series_input(model, raw):
    """A raw input → (value rows, datetimes or None), checked against the model's input width: a
    number or a list of numbers per step; [time, values...] per step when the run has calendar features."""
    size = model.config["input"]["size"]
    features = (model.normalization or {}).get("calendar") or []
    rows = [list(step) if isinstance(step, (list, tuple)) else [step] for step in raw]
    if not features:
        if not rows or any(len(r) != size for r in rows):
            raise ValueError("expected a non-empty list of steps, each %s" % ("a number" if size == 1 else "%d numbers" % size))
        return rows, None
    width = size - 2 * len(features)
    if not rows or any(len(r) != width + 1 or not isinstance(r[0], str) for r in rows):
        raise ValueError("expected a non-empty list of steps, each [time, %d values] with the time an ISO 8601 date" % width)
    return [r[1:] for r in rows], [parse_time(r[0]) for r in rows]


def series_rows(model, raw):
    """A raw input → (the model's steps, bases). With difference each step is the change from the row
    before (n rows give n - 1 steps) and bases[t][y] is target y's level at step t (else None)."""
    norm, raw = series_of_input(model, raw)
    rows, times = series_input(model, raw)
    if not norm:
        return rows, None
    bases = None
    if _series_differenced(norm):
        if len(rows) < 2:
            raise ValueError("expected at least 2 rows: the model reads the differences of consecutive rows (data.difference)")
        bases = [[r[c] for c in _series_targets(norm)] for r in rows[1:]]
        rows = [[v - p for v, p in zip(r, prev)] for prev, r in zip(rows, rows[1:])]
        times = times and times[1:]
    steps = [[(v - norm["mean"][f]) / norm["std"][f] for f, v in enumerate(r)] for r in rows]
    for step, t in zip(steps, times or []):
        for feature in norm["calendar"]:
            angle = 2 * math.pi * calendar_phase(feature, t)
            step.extend((math.sin(angle), math.cos(angle)))
    return steps, bases


def series_values(model, raw, outputs):
    """Normalised outputs (steps × O, a tensor; O = forecastSteps × targets, step-major) → rnn-lab
    predict's values answer, in original units, with its shape [steps, forecastSteps, targets]: levels,
    each the last observed level of its target plus the predicted change when the series is differenced."""
    norm = series_of_input(model, raw)[0] or {}
    columns = _series_targets(norm)
    width = outputs.shape[1]
    targets = len(columns) or width
    bases = series_rows(model, raw)[1] if _series_differenced(norm) else None
    aligned = model.config["task"] == "many-to-many"
    values = []
    for t, row in enumerate(outputs.tolist()):
        for i, v in enumerate(row):
            y = i % targets
            scale, shift = (norm["std"][columns[y]], norm["mean"][columns[y]]) if columns else (1.0, 0.0)
            base = 0.0 if bases is None else bases[t if aligned else -1][y]
            values.append(v * scale + shift + base)
    return {"kind": "values", "steps": outputs.shape[0], "values": values, "shape": [outputs.shape[0], width // targets, targets]}
