# predict wraps x in a list: the model raises, nothing can be observed.
# status: failed
# fails: output_values, no_graph, running_stats_unchanged, mode_restored, grad_state_unchanged, mode_restored_on_error, eval_stays_eval, output_hidden
# message: While running `predict(model, x)`, your code raised TypeError
import torch


def predict(model, x):
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model([x])
    finally:
        model.train(was_training)
