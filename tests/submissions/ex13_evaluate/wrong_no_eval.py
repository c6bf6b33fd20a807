# no_grad() but no eval(): dropout stays on and batch norm uses (and updates) the batch's statistics.
# status: failed
# fails: output_values, running_stats_unchanged, output_hidden
# message: ran the model in training mode
# message: bn.running_mean, bn.running_var, bn.num_batches_tracked had changed
import torch


def predict(model, x):
    with torch.no_grad():
        return model(x)
