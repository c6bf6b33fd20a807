"""연습문제 01 — MyModel: 여러분의 첫 nn.Module

모든 PyTorch 모델은 ``nn.Module``을 상속하는 클래스입니다. 이 클래스는 두 가지 일을 합니다:

* ``__init__`` 메서드는 먼저 ``super().__init__()``를 호출한 다음, 레이어를 만들어 속성으로 저장합니다
  (``self.conv1 = ...``). 레이어를 ``self``에 저장하는 것이 곧 레이어를 등록하는 일입니다: 그러면 그 가중치가
  ``parameters()``, ``state_dict()``에 나타나고 ``.to()``로 함께 옮겨집니다.
* ``forward(x)``는 입력이 그 레이어들을 어떻게 거쳐 가는지 정합니다. 이 메서드를 직접 호출하는 일은 없습니다:
  ``model(x)``가 대신 호출해 줍니다(등록된 훅이 있으면 그것도 실행합니다; 연습문제 04 참고).

강의의 첫 모델인 ``MyModel``을 작성하십시오:

* ``conv1``: 입력 채널 1개에서 출력 채널 20개로 가는 2차원 합성곱, 커널 크기 5;
* ``conv2``: 채널 20개에서 채널 20개로 가는 2차원 합성곱, 커널 크기 5;
* ``forward(x)``: ``relu(conv2(relu(conv1(x))))``.

예시::

    >>> model = MyModel()
    >>> model(torch.zeros(1, 1, 28, 28)).shape
    torch.Size([1, 20, 20, 20])
    >>> sum(p.numel() for p in model.parameters())
    10540

ReLU는 어떤 것을 써도 됩니다: ``F.relu``, ``torch.relu``, ``nn.ReLU()`` 모듈, 또는 제자리에서(in-place) 계산하는
변형도 됩니다.

강의 슬라이드에서 두 가지를 바로잡습니다:

* 슬라이드에는 ``class MyModel(nn.module)``이라고 쓰여 있습니다. 클래스 이름은 대문자 M을 쓴 ``nn.Module``입니다;
  ``nn.module``은 존재하지 않으며 AttributeError로 실패합니다.
* 슬라이드는 3채널(컬러) 이미지를 ``Conv2d(1, ...)``에 넣는데, 이는 실패합니다: 입력 채널 1개로 만든 레이어에는
  모양이 (N, 1, H, W)인 입력이 필요합니다. 여기서 입력은 흑백 이미지입니다.
"""

from torch import nn


class MyModel(nn.Module):
    """conv1 (1 -> 20, 5x5), ReLU, conv2 (20 -> 20, 5x5), ReLU의 순서로 이루어진 모델입니다."""

    def forward(self, x):
        """x의 모양은 (N, 1, H, W)입니다; 결과의 모양은 (N, 20, H - 8, W - 8)입니다."""
        ...
