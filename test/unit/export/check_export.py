"""Runs every exported case of a folder in this one Python process and compares with the engine.

    python3 check_export.py CASES_DIR

CASES_DIR holds one folder per case, each an export (model.py, model.safetensors) plus case.json:
{name, kwargs: {arg: {dtype, shape, data}}, expected64, expected32, shape, valid}. For each case
and each of float64 and float32, the exported module is loaded with load_model, run on the kwargs,
and compared with the engine's outputs on the valid rows with numpy.allclose's rule
|got − expected| ≤ atol + rtol·|expected|. Prints one JSON line per case and dtype:
{name, dtype, ok, maxAbsError, worst (the largest |error| / (atol + rtol·|expected|)), error?}.
"""
import importlib.util
import json
import os
import sys
import traceback

import torch

RTOL = 1e-5
ATOL = 1e-5


def tensor(spec, float_dtype):
    dtype = torch.long if spec["dtype"] == "long" else float_dtype
    return torch.tensor(spec["data"], dtype=torch.float64 if dtype != torch.long else torch.long).to(dtype).reshape(spec["shape"])


def check(index, folder, case):
    spec = importlib.util.spec_from_file_location("exported_case_%d" % index, os.path.join(folder, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for label, dtype in (("float64", torch.float64), ("float32", torch.float32)):
        model = module.load_model(folder).to(dtype)
        kwargs = {name: tensor(t, dtype) for name, t in case["kwargs"].items()}
        with torch.no_grad():
            got = model(**kwargs).to(torch.float64)
        expected = torch.tensor(case["expected64" if label == "float64" else "expected32"], dtype=torch.float64).reshape(case["shape"])
        if tuple(got.shape) != tuple(expected.shape):
            raise ValueError("output shape %s, engine %s" % (tuple(got.shape), tuple(expected.shape)))
        valid = torch.tensor(case["valid"], dtype=torch.bool).reshape(case["shape"][:-1])
        error = (got - expected).abs()[valid]
        bound = (ATOL + RTOL * expected.abs())[valid]
        worst = float((error / bound).max())
        print(json.dumps({"name": case["name"], "dtype": label, "ok": worst <= 1.0,
                          "maxAbsError": float(error.max()), "worst": worst}), flush=True)


def main():
    torch.set_num_threads(1)
    root = sys.argv[1]
    folders = sorted((f for f in os.listdir(root) if os.path.isdir(os.path.join(root, f))), key=lambda f: int(f.split("-")[-1]))
    for index, name in enumerate(folders):
        folder = os.path.join(root, name)
        with open(os.path.join(folder, "case.json"), encoding="utf-8") as f:
            case = json.load(f)
        try:
            check(index, folder, case)
        except Exception:
            print(json.dumps({"name": case["name"], "dtype": "any", "ok": False, "error": traceback.format_exc()}), flush=True)


if __name__ == "__main__":
    main()
