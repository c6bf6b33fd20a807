"""연습문제 02 — 레이어는 ``__init__``에, 계산은 ``forward``에

모델의 레이어는 ``__init__``에서 *한 번만 만들어져* ``self``에 저장됩니다; ``forward``는 그것을 *사용하기만*
합니다. 이렇게 나누어야 모델이 학습할 수 있습니다: ``__init__``에서 만든 가중치는 모델의 파라미터로 등록되므로
``model.parameters()``가 이를 옵티마이저에 넘겨주고, 모델을 호출할 때마다 같은, 학습된 가중치를 사용합니다.

``forward`` 안에서 만든 레이어(그 안에 쓴 ``fc1 = nn.Linear(...)``)는 호출할 때마다 새 무작위 가중치를 가진
완전히 새로운 레이어입니다: 모델에는 파라미터가 없고, 같은 입력으로 두 번 호출해도 결과가 다르며,
``torch.optim.SGD(model.parameters(), lr=0.1)``는 "optimizer got an empty parameter list"라는 오류로 실패합니다 —
이런 모델은 학습할 수 없습니다.

2층 퍼셉트론 ``TwoLayerMLP(in_features, hidden, out_features)``를 작성하십시오:

* ``in_features``개 특징에서 ``hidden``개 특징으로 가는 완전 연결 레이어, 즉 ``nn.Linear`` 하나(편향 포함);
* ReLU 하나;
* ``hidden``개 특징에서 ``out_features``개 특징으로 가는 ``nn.Linear`` 하나(편향 포함), 그 뒤에는 활성화 함수가
  없습니다.

``forward(x)``는 모양이 (N, in_features)인 x를 받아 모양이 (N, out_features)인 결과를 돌려주며, 이 결과는 여전히
autograd 그래프의 일부입니다: 결과에서 ``backward()``를 호출하면 두 레이어의 가중치와 편향, 그리고 x까지 기울기가
전달됩니다. 생성자의 인자를 사용하고, 예시의 다른 어떤 것도 가정하지 마십시오: 채점기는 다른 크기의 모델도
만들고(``out_features``가 1일 수도 있습니다), N ≥ 1인 어떤 크기의 배치든 넣으며, 값의 규모도 가리지 않습니다.

예시::

    >>> model = TwoLayerMLP(8, 32, 4)
    >>> model(torch.zeros(5, 8)).shape
    torch.Size([5, 4])
    >>> sum(p.numel() for p in model.parameters())   # 8·32 + 32 + 32·4 + 4
    420

클래스 이름과 생성자의 인자는 정해져 있습니다; 나머지는 여러분이 정합니다: 레이어 이름은 마음대로 짓고, 두 속성으로
두든 ``nn.Sequential``에 넣든 상관없으며, ReLU도 어떤 것이든 쓰면 됩니다(``F.relu``, ``torch.relu``,
``nn.ReLU()``).
"""

from torch import nn


class TwoLayerMLP(nn.Module):
    """Linear(in_features -> hidden), ReLU, Linear(hidden -> out_features)의 순서로 이루어진 모델입니다."""

    def forward(self, x):
        """x의 모양은 (N, in_features)입니다; 결과의 모양은 (N, out_features)입니다."""
        ...
