"""연습문제 03 — 컨테이너: 깊이를 인자로 받는 네트워크

레이어 개수를 실행할 때에야 알 수 있다면, 레이어를 반복문으로 만들어 컨테이너에 담습니다. PyTorch의 컨테이너를
사용하고, 일반 Python list나 dict는 절대 쓰지 마십시오:

* ``nn.ModuleList([...])``: 모듈의 리스트입니다; ``forward``에서 이를 순회합니다.
* ``nn.Sequential(...)``: 차례로 하나씩 적용되는 모듈들입니다; 호출하면 모두 실행됩니다.
* ``nn.ModuleDict({...})``: 이름(문자열 키)으로 찾는 모듈들입니다.

이들은 그 자체로 모듈이므로, ``self``에 대입하면 그 안의 모든 모듈이 등록됩니다: 그 가중치가 ``parameters()``와
``state_dict()``에 나타나고, 옵티마이저가 이를 학습시키며, ``.to(...)``가 이를 옮깁니다. 일반 list나 dict는
*아무것도* 등록하지 않습니다: 레이어는 여전히 계산을 하지만, ``parameters()``는 이들을 건너뛰고,
``torch.optim.SGD(model.parameters(), lr=0.1)``는 "optimizer got an empty parameter list"로 실패하며(또는 아무 말
없이 다른 레이어만 학습시키며), ``model.to(torch.float64)``는 이들을 그대로 남겨 둡니다.

``MultiHeadNet(in_features, width, depth, heads)``를 작성하십시오: 공유하는 몸통(trunk)에 작업마다 출력 헤드를
하나씩 둔 네트워크입니다(한 이미지의 여러 속성을 한 번에 예측하는 분류기처럼).

* 몸통은 Linear 다음 ReLU로 이루어진 블록 ``depth``개(≥ 1)로 되어 있습니다: 첫 Linear는 ``in_features``를
  ``width``로, 나머지 Linear는 각각 ``width``를 ``width``로 바꿉니다.
* ``heads``는 작업 이름을 그 작업의 출력 개수에 대응시키는 dict입니다; 작업마다 ``Linear(width, n)``이 하나씩
  있습니다(그 뒤에 활성화 함수는 없습니다).
* ``forward(x)``는 모양이 (N, in_features)인 x에 대해 작업마다 항목이 하나씩 있는 dict를 돌려줍니다:
  ``{name: head(trunk(x))}``, 각 값의 모양은 (N, n)입니다.

모든 Linear에는 편향이 있습니다. 모든 레이어는 ``__init__``에서 만들고, 자리마다 새 레이어를 만드십시오:
``[nn.Linear(width, width)] * k``는 *같은* 레이어를 k번 담은 것입니다. 출력은 autograd 그래프의 일부로 남습니다:
출력에서 ``backward()``를 호출하면 몸통의 모든 레이어, 모든 헤드, 그리고 x까지 기울기가 전달됩니다. 예시의 값이
아니라 생성자의 인자를 사용하십시오: 채점기는 깊이가 1인 네트워크와 더 깊은 네트워크도 만들며, 헤드는 하나일 수도
여럿일 수도 있고, 이름도 다르며 어떤 순서로든 주어집니다.

예시::

    >>> model = MultiHeadNet(10, 16, 3, {"color": 4, "shape": 3, "size": 2})
    >>> {name: out.shape for name, out in model(torch.zeros(5, 10)).items()}
    {'color': torch.Size([5, 4]), 'shape': torch.Size([5, 3]), 'size': torch.Size([5, 2])}
    >>> sum(p.numel() for p in model.parameters())   # trunk 176 + 272 + 272, heads 68 + 51 + 34
    873
    >>> sum(isinstance(m, nn.Linear) for m in model.modules())
    6

클래스 이름과 생성자의 인자는 정해져 있습니다; 어떤 컨테이너를 쓸지, 그리고 그 이름은 여러분이 정합니다. 이미
쓰이고 있는 이름이 있습니다: 속성 이름을 ``self.modules``(또는 ``self.children``, ``self.parameters``)로 짓지
마십시오: 같은 이름의 nn.Module 메서드를 가려 버립니다.

강의 내용 하나를 바로잡습니다: ``model.modules()``는 가중치를 가진 모듈만 내놓는 것이 아닙니다. 이 메서드는
트리의 모든 모듈을 깊이 우선으로 내놓습니다: 모델 자신, 컨테이너, 그리고 ``nn.ReLU``처럼 파라미터가 없는 모듈도
포함됩니다. 위의 예시에서 결과를 거르는 것도 그 때문입니다.
"""

from torch import nn


class MultiHeadNet(nn.Module):
    """Linear+ReLU 블록 ``depth``개로 된 몸통을, 작업마다 하나씩 있는 Linear 헤드들이 공유합니다."""

    def forward(self, x):
        """x의 모양은 (N, in_features)입니다; {작업 이름: 모양이 (N, 그 작업의 출력 개수)인 텐서}를 돌려줍니다."""
        ...
