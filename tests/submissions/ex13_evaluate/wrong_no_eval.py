# no_grad() but no eval(): dropout stays on and batch norm uses (and updates) the batch's statistics.
# status: failed
# fails: output_values, state_unchanged, caller_no_grad, output_hidden
# message: Your predict ran the model in training mode
# message: bn.running_mean, bn.running_var, bn.num_batches_tracked had changed
# message: in training mode batch norm updates its running statistics
import torch


def predict(model, x):
    with torch.no_grad():
        return model(x)
