# A different but correct solution: a context manager that attaches a counting hook and always
# detaches it, used with a `with` block.
# status: passed
# fails: none
from contextlib import contextmanager


@contextmanager
def counting(module):
    ran = []
    handle = module.register_forward_hook(lambda m, args, out: ran.append(None))
    try:
        yield ran
    finally:
        handle.remove()


def count_calls(model, module, batches):
    with counting(module) as ran:
        outputs = list(map(model, batches))
    return outputs, len(ran)
