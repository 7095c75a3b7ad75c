"""Safetensors without the safetensors package, for an exported model.py (the build inlines it
there): read_safetensors / write_safetensors, and load_weights, which prefers the package when installed."""
import array
import json
import struct

import torch


SAFETENSORS_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
                      "I64": torch.int64, "I32": torch.int32}


def read_safetensors(path):
    """{name: tensor} of a .safetensors file: an 8-byte little-endian header length, a JSON header
    {name: {dtype, shape, data_offsets}}, then the little-endian data."""
    with open(path, "rb") as f:
        data = f.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_length].decode("utf-8"))
    header.pop("__metadata__", None)
    start = 8 + header_length
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = SAFETENSORS_DTYPES[info["dtype"]]
        flat = torch.frombuffer(bytearray(data[start + begin:start + end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"])
    return tensors


def write_safetensors(tensors, path, metadata=None):
    """Writes {name: tensor} as F32 safetensors, e.g. a fine-tuned state_dict for rnn-lab import."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, tensor in tensors.items():
        values = tensor.detach().to("cpu", torch.float32).flatten().tolist()
        chunk = array.array("f", values).tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(chunk)]}
        chunks.append(chunk)
        offset += len(chunk)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load_weights(path):
    try:
        from safetensors.torch import load_file
    except ImportError:
        return read_safetensors(path)
    return load_file(path)
