"""연습문제 08 — 경사 하강법 한 스텝을 직접 구현하기

``loss.backward()`` 뒤에는 손실 계산에 참여한 모든 파라미터 ``p``가 손실의 기울기를, ``p``와 모양이 같은 텐서인
``p.grad``에 담고 있습니다. 기본적인 확률적 경사 하강법의 한 스텝은 각 파라미터를 기울기의 반대 방향으로 조금
옮깁니다::

    p  ←  p − lr · p.grad

``torch.optim.SGD``가 대신 해 주는 일이 바로 이것입니다; 여기서는 이를 직접 작성합니다. 함수 두 개를
작성하십시오(이름과 시그니처는 정해져 있습니다; 채점기가 이 함수들을 호출합니다):

* ``sgd_step(model, lr)``: 기울기가 있는 ``model``의 모든 파라미터를 **제자리에서(in-place)** 갱신한 다음, 그
  기울기를 지웁니다(``p.grad = None``으로 두거나 0으로 채웁니다). ``p.grad``가 None인 파라미터는 건너뜁니다:
  고정되었거나(``requires_grad=False``) 손실 계산에 참여하지 않은 파라미터입니다. ``model``은 어떤
  ``nn.Module``이든 될 수 있습니다: 파라미터는 중첩된 컨테이너 안에, 어떤 종류의 레이어에든, 또는 모델 자체에
  있을 수 있습니다.
* ``train_step(model, x, y, lr)``: 배치 ``(x, y)``에 대해 평균 제곱 오차로 학습하는 한 스텝입니다:
  ``loss = F.mse_loss(model(x), y)``, ``loss.backward()``, 그다음 ``sgd_step(model, lr)``. (스텝 전에 계산한)
  손실을 Python float로 돌려줍니다.

예시::

    >>> model = nn.Linear(1, 1)
    >>> with torch.no_grad():
    ...     model.weight.fill_(1.0); model.bias.fill_(0.0)
    >>> x, y = torch.tensor([[1.0]]), torch.tensor([[0.0]])
    >>> train_step(model, x, y, lr=0.25)   # loss = (1·1 + 0 − 0)² = 1; d loss / d weight = 2·1·1 = 2
    1.0
    >>> model.weight.item(), model.weight.grad
    (0.5, None)                             # 1 − 0.25·2 = 0.5, and the gradient is cleared

제대로 해야 할 세 가지:

* **파라미터 자체를 바꾸십시오.** ``p = p - lr * p.grad``는 새 텐서를 계산해 지역 이름 ``p``를 그 텐서에 다시 묶을
  뿐입니다; 모델의 파라미터는 전혀 바뀌지 않습니다. 제자리에서 갱신하십시오: ``p -= lr * p.grad``(또는
  ``p.sub_(lr * p.grad)``).
* **``torch.no_grad()`` 아래에서.** 파라미터는 기울기를 요구하는 *리프(leaf)* 텐서이며, autograd는 연산을 기록하는
  동안 이를 제자리에서 바꾸는 것을 거부합니다("a leaf Variable that requires grad is being used in an in-place
  operation"). 갱신을 ``with torch.no_grad():`` 안에 넣으십시오. 오류를 피하려고 ``requires_grad``를 끄지
  마십시오: 그러면 파라미터가 더 이상 학습되지 않습니다. (``p.data -= lr * p.grad``도 동작합니다 — ``.data``는
  같은 저장 공간을 autograd 없이 보는 것입니다 — 하지만 autograd의 안전 검사를 건너뛰므로 no_grad를 쓰는 편이
  낫습니다.)
* **기울기를 지우십시오.** ``backward()``는 ``p.grad``에 *더합니다*; 절대 덮어쓰지 않습니다. 지우지 않으면 다음
  스텝은 이번 배치의 기울기와 그 이전의 모든 기울기를 더한 값을 사용합니다.

``loss``가 아니라 ``loss.item()``을 돌려주십시오: 손실 텐서는 순전파의 그래프 전체를 메모리에 붙잡아 두므로, 이를
리스트에 모으면 스텝마다 메모리 사용량이 늘어납니다.
"""

import torch
from torch import nn


def sgd_step(model: nn.Module, lr: float) -> None:
    """기울기가 있는 모든 파라미터에 대해 제자리에서 p ← p − lr · p.grad를 계산하고, 그다음 기울기를 지웁니다."""
    ...


def train_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """model(x)와 y의 평균 제곱 오차, backward, sgd_step 한 번; 손실을 float로 돌려줍니다."""
    ...
