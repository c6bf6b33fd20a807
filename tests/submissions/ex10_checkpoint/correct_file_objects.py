# A different but correct solution: open() file objects, map_location, strict loading, keys in another order.
# status: passed
# fails: none
import torch


def save_checkpoint(path, model, optimizer, step):
    state = {"step": int(step), "optimizer": optimizer.state_dict()}
    state["model"] = model.state_dict()
    with open(path, "wb") as file:
        torch.save(state, file)


def load_checkpoint(path, model, optimizer):
    with open(path, "rb") as file:
        state = torch.load(file, map_location="cpu", weights_only=True)
    missing, unexpected = model.load_state_dict(state["model"], strict=True)
    assert not missing and not unexpected
    optimizer.load_state_dict(state["optimizer"])
    print(f"resumed from step {state['step']}")
    return state["step"]
