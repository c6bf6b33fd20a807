# A different but correct solution: a regular expression per rename, an OrderedDict copy, keys checked before loading.
# status: passed
# fails: none
import re
from collections import OrderedDict


def remap_keys(state_dict, renames, prefix="module."):
    patterns = [(re.compile(re.escape(old) + r"(?=\.|$)"), new) for old, new in renames.items()]
    result = OrderedDict()
    for key, value in state_dict.items():
        key = key.removeprefix(prefix)
        for pattern, new in patterns:
            if pattern.match(key):
                key = pattern.sub(new, key, count=1)
                break
        result[key] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    state = remap_keys(checkpoint, renames, prefix)
    if set(state) != set(model.state_dict()):
        raise ValueError("the checkpoint's keys do not match the model's")
    model.load_state_dict(state, strict=True)
