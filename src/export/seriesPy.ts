/**
 * The time-series part of the exported model.py (inserted at `__SERIES__` by modelPy.ts): raw rows
 * of levels → the model's z-scored steps, and its normalised outputs → values in original units,
 * exactly as src/data/seriesCodec.ts does for `rnn-lab predict`:
 *   inputs   z[t] = (x[t] − mean) / std, or with `difference` (x[t] − x[t−1] − mean) / std (n rows → n − 1 steps)
 *   values   o·std_c + mean_c, plus the last observed level x[t][c] with `difference`
 */
export const SERIES_PY = String.raw`
def _series_target(norm):
    """The target's column among the input columns, -1 when there is none (record features)."""
    columns = (norm or {}).get("columns") or []
    return columns.index(norm["target"]) if norm.get("target") in columns else -1


def _series_differenced(norm):
    return bool((norm or {}).get("difference")) and _series_target(norm) >= 0


def series_rows(model, rows):
    """Raw rows (lists of numbers) → (z-scored steps, bases). With difference each step is the change
    from the row before (n rows give n - 1 steps) and bases[t] is the target's level at step t."""
    norm = model.normalization
    if not norm:
        return rows, None
    bases = None
    if _series_differenced(norm):
        if len(rows) < 2:
            raise ValueError("expected at least 2 rows: the model reads the differences of consecutive rows (data.difference)")
        target = _series_target(norm)
        bases = [r[target] for r in rows[1:]]
        rows = [[v - p for v, p in zip(r, prev)] for prev, r in zip(rows, rows[1:])]
    return [[(v - norm["mean"][f]) / norm["std"][f] for f, v in enumerate(r)] for r in rows], bases


def series_values(model, raw, outputs):
    """Normalised outputs (steps × O, a tensor) → rnn-lab predict's values answer, in original units:
    levels, the last observed level plus the predicted change when the series is differenced."""
    norm = model.normalization or {}
    column = _series_target(norm)
    scale, shift = (norm["std"][column], norm["mean"][column]) if column >= 0 else (1.0, 0.0)
    bases = None
    if _series_differenced(norm):
        _, bases = series_rows(model, [list(s) if isinstance(s, (list, tuple)) else [s] for s in raw])
    aligned = model.config["task"] == "many-to-many"
    values = []
    for t, row in enumerate(outputs.tolist()):
        base = 0.0 if bases is None else bases[t if aligned else -1]
        values.extend(v * scale + shift + base for v in row)
    return {"kind": "values", "steps": outputs.shape[0], "values": values}
`;
