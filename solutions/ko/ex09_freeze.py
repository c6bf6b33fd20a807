"""연습문제 09 — 백본을 고정하고 헤드만 학습하기

미세 조정(fine-tuning)에서는 학습된 네트워크의 대부분(입력을 특징으로 바꾸는 *백본*)을 고정해 두고, 그 위에 얹은
작은 새 *헤드*만 학습하는 경우가 많습니다. 파라미터는 ``requires_grad``가 False일 때 고정됩니다: 그러면
backward()는 그 파라미터의 기울기를 계산하지 않고, 그 기울기를 한 번도 보지 못한 옵티마이저는 그 파라미터를
건드리지 않습니다.

여러분이 받는 모델에는 하위 모듈 ``model.backbone``과 ``model.head``가 있고(이 두 이름은 정해져 있고, 그 안의
내용은 다양합니다), ``model(x)``는 ``model.head(model.backbone(x))``입니다. 함수 세 개를 작성하십시오(이름과
시그니처는 정해져 있습니다; 채점기가 이 함수들을 호출합니다):

* ``freeze(module)``: ``module``의 모든 파라미터가 더 이상 학습되지 않게 합니다: ``requires_grad``를 False로
  설정하고, 아직 남아 있는 기울기는 버립니다(``p.grad = None``). 그 밖에는 아무것도 바뀌지 않습니다: 모듈은 원래
  있던 모드(학습 모드든 평가 모드든)에 그대로 머뭅니다.
* ``make_optimizer(model, lr)``: 주어진 ``lr``, ``momentum=0.9``, ``weight_decay=1e-2``를 쓰고, **model의
  파라미터 중 기울기를 요구하는 것만** 다루는 ``torch.optim.SGD``입니다.
* ``fine_tune(model, batches, lr)``: ``model.backbone``을 고정하고, ``make_optimizer``로 옵티마이저를 만든 다음,
  ``batches``의 각 ``(x, y)``에 대해(``y``에는 클래스 인덱스가 들어 있습니다): 기울기를 0으로 만들고,
  ``loss = F.cross_entropy(model(x), y)``, ``loss.backward()``, ``optimizer.step()``을 실행합니다. 손실들을
  Python float로, 순서대로 돌려줍니다.

모델에는 이전 학습(예를 들어 전체를 학습시킨 첫 단계)에서 남은 기울기가 있을 수 있습니다: ``fine_tune``은 그
기울기 때문에 백본이 움직이게 해서는 안 됩니다.

예시::

    >>> class Net(nn.Module):                # the grader's public model
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.backbone = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU())
    ...         self.head = nn.Linear(8, 3)
    ...     def forward(self, x):
    ...         return self.head(self.backbone(x))
    >>> model = Net()
    >>> freeze(model.backbone)
    >>> [p.requires_grad for p in model.backbone.parameters()]
    [False, False, False, False]
    >>> make_optimizer(model, lr=0.1).param_groups[0]["params"] == list(model.head.parameters())
    True

강의가 틀렸거나 느슨하게 넘어간 부분:

* ``module.requires_grad = False``는 **아무것도** 고정하지 않습니다. nn.Module에는 ``requires_grad`` 설정이
  없습니다: 이 줄은 객체에 쓰이지 않는 새 속성을 하나 만들 뿐이고, 모든 파라미터는 여전히
  ``requires_grad=True``입니다. 파라미터를 고정하십시오: ``module.requires_grad_(False)``(끝에 밑줄이 붙은
  메서드) 또는 ``module.parameters()``의 각 ``p``에 대해 ``p.requires_grad = False``. ``module.eval()``도
  아무것도 고정하지 않습니다: 드롭아웃과 배치 정규화가 동작하는 방식만 바꿉니다.
* 강의는 검증할 때 ``requires_grad=False``를 쓰라고 권합니다. 검증에는 ``model.eval()``과
  ``with torch.no_grad():``를 함께 쓰십시오; ``requires_grad=False``는 학습시키고 싶지 않은 파라미터에 쓰는
  것입니다.
* ``requires_grad=False``는 *새* 기울기만 막습니다. 이미 ``p.grad``에 저장된 기울기는 그대로 남고, ``p``를 가진
  옵티마이저는 여전히 그 기울기를 사용합니다: ``zero_grad(set_to_none=False)``는 기울기를 0으로 바꿀 뿐이어서,
  가중치 감쇠(``+ weight_decay · p``)와 모멘텀이 "고정된" 가중치를 스텝마다 계속 움직입니다. 옵티마이저에는 학습
  가능한 파라미터만 넘기고, 고정할 때 예전 기울기를 버리십시오.
"""

import torch
from torch import nn


def freeze(module: nn.Module) -> None:
    """module의 모든 파라미터를 requires_grad가 False이고 저장된 기울기가 없는 상태로 만듭니다."""
    ...


def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    """model의 파라미터 중 기울기를 요구하는 것들에 대한 SGD(lr, momentum=0.9, weight_decay=1e-2)입니다."""
    ...


def fine_tune(model: nn.Module, batches: list[tuple[torch.Tensor, torch.Tensor]], lr: float) -> list[float]:
    """model.backbone을 고정하고 나머지를 교차 엔트로피로 배치마다 한 스텝씩 학습합니다; 손실들을 돌려줍니다."""
    ...
