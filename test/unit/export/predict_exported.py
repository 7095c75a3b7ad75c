"""The Python half of the export's end-to-end test, in one process.

    python3 predict_exported.py JOB.json

JOB.json: {"predict": [{"folder": F, "raw": R}, …],
           "finetune": {"folder": F, "raws": [R, …], "labels": [L, …], "out": FILE.safetensors, "check": R}}
For each predict item: load_model(F) and predict(model, R), as a user of the export would.
finetune: two SGD steps of cross-entropy on (raws, labels) through the exported module, the
state_dict written with write_safetensors to out, and the fine-tuned prediction on check.
Prints {"predictions": […], "finetuned": prediction} as one JSON line.
"""
import importlib.util
import json
import os
import sys

import torch
import torch.nn.functional as F


def load(folder, index):
    spec = importlib.util.spec_from_file_location("exported_%d" % index, os.path.join(folder, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    modules = {}
    predictions = []
    for item in job["predict"]:
        folder = item["folder"]
        if folder not in modules:
            modules[folder] = load(folder, len(modules))
        exported = modules[folder]
        predictions.append(exported.predict(exported.load_model(folder), item["raw"]))

    tune = job["finetune"]
    exported = load(tune["folder"], len(modules))
    model = exported.load_model(tune["folder"]).train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    targets = torch.tensor([model.labels.index(label) for label in tune["labels"]])
    before = {k: v.clone() for k, v in model.state_dict().items()}
    for _ in range(2):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(**exported.encode_batch(model, tune["raws"])), targets)
        loss.backward()
        optimizer.step()
    changed = sorted(k for k, v in model.state_dict().items() if not torch.equal(v, before[k]))
    exported.write_safetensors(model.state_dict(), tune["out"], {"format": "pt"})
    finetuned = exported.predict(model.eval(), tune["check"])
    print(json.dumps({"predictions": predictions, "finetuned": finetuned, "changed": changed}))


if __name__ == "__main__":
    main()
