# A different but correct solution: module names matched part by part, strict=False plus an explicit check.
# status: passed
# fails: none
import torch
from torch import nn


def remap_keys(state_dict, renames, prefix="module."):
    out = {}
    for key in state_dict:
        new_key = key[len(prefix):] if key.startswith(prefix) else key
        parts = new_key.split(".")
        for old, new in renames.items():
            old_parts = old.split(".")
            if parts[: len(old_parts)] == old_parts:
                parts = new.split(".") + parts[len(old_parts):]
                break
        out[".".join(parts)] = state_dict[key]
    return out


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    result = model.load_state_dict(remap_keys(checkpoint, renames, prefix), strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise KeyError(f"checkpoint does not fit: missing {result.missing_keys}, unexpected {result.unexpected_keys}")
