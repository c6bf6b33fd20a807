# The modes of the model and its direct children are noted and given back with train(mode), which
# also resets every module below a child: a module deeper down that had its own mode loses it.
# status: failed
# fails: nested_modes_restored
# message: afterwards every module of your model is in training mode
# message: or to each of its children
import torch


def predict(model, x):
    was_training = model.training
    children = [(child, child.training) for child in model.children()]
    model.eval()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        model.training = was_training
        for child, mode in children:
            child.train(mode)
