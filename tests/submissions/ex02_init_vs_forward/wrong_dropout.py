# Dropout added between the layers out of habit: in training mode every call drops other units,
# so two calls on the same input differ although the weights are the same.
# status: failed
# fails: output_values, gradients, same_output_twice, learns, hidden_output_values, hidden_gradients
# message: Your model's parameters stayed the same, yet two calls on the same x gave different results
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(self.drop(self.act(self.fc1(x))))
