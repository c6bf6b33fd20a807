"""연습문제 13 — 평가 모드에서 기울기 없이 예측하고, 모델을 원래대로 돌려놓기

검증하거나 예측할 때 중요한 스위치가 두 개 있으며, 둘이 하는 일은 서로 다릅니다:

* ``model.eval()``(``model.train(False)``와 같습니다)은 모델과 모든 하위 모듈에 ``training = False``를
  설정합니다. 학습 중에 다르게 동작하는 레이어는 동작을 바꿉니다: 드롭아웃은 무작위로 활성화 값을 0으로 만드는
  일을 멈추고, 배치 정규화는 배치의 통계 대신 이동 통계로 정규화하며 그 통계를 더 이상 갱신하지 않습니다. 기울기에는
  아무 영향도 주지 않습니다.
* ``torch.no_grad()``(또는 ``torch.inference_mode()``)는 autograd가 계산을 기록하지 못하게 합니다: 그래프가
  만들어지지 않아 메모리와 시간이 절약되고, 출력은 기울기를 요구하지 않습니다. 드롭아웃이나 배치 정규화에는 아무
  영향도 주지 않습니다.

검증에는 둘 다 필요합니다. ``eval()``이 없으면 예측에 잡음이 섞이고(드롭아웃), 순전파를 할 때마다 배치 정규화의
이동 통계가 움직이므로, *검증*만 해도 모델이 바뀝니다. ``no_grad()``가 없으면 순전파마다 한 번도 쓰이지 않을
그래프를 만듭니다.

``predict(model, x)``를 작성하십시오: 모델 전체를 평가 모드로 두고 ``torch.no_grad()`` 아래에서 계산한
``model(x)``를 돌려주어, ``x``가 기울기를 요구하더라도 출력은 기울기를 요구하지 않게 하십시오. 모델은 훅을
건너뛰는 ``model.forward(x)``가 아니라, 훅을 실행하는 ``model(x)``로 호출하십시오. 어떤 모델이든, 그 모델이 받는
어떤 입력이든 동작해야 합니다: 채점기는 다른 레이어를 가진 모델, 훅이 있는 모델, 컨테이너 안에 모듈이 중첩된
모델도 넘깁니다.

그런 다음 모델을 받았을 때와 정확히 같은 상태로 돌려놓으십시오:

* 모든 모듈은 호출 전에 있던 모드로. 학습 중이던 모델은 학습 모드로 돌아가고, 이미 평가 모드였던 모델은 평가
  모드에 머뭅니다(그러니 마지막에 ``model.train()``을 호출하는 것은 옳지 않습니다). 모델의 하위 모듈마다 모드가
  다를 수 있으므로(연습문제 14는 학습 중인 모델 안에서 고정된 블록을 평가 모드로 둡니다), ``model.modules()``를
  돌며 각 모듈의 ``training`` 플래그를 기억해 두었다가 하나하나 되돌려 놓으십시오.
  ``model.train(was_training)``으로는 부족합니다: 모든 하위 모듈에 모델 자신의 모드를 주기 때문입니다. 모델 자신의
  플래그일 뿐인 ``model.training``에 대입하는 것도 부족합니다;
* 기울기 계산이 켜져 있었는지 꺼져 있었는지도 그대로: 호출한 쪽이 이미 ``torch.no_grad()`` 안에 있을 수 있으며,
  ``predict``가 반환할 때도 여전히 그 안에 있어야 합니다;
* 모든 파라미터의 학습 가능 여부도 그대로, 그리고 모든 파라미터와 버퍼의 값도 바뀌지 않은 채로.

모델이 예외를 일으킬 때도 모델을 원래대로 돌려놓고, 그 오류는 호출한 쪽에 전달되게 두십시오: ``try`` /
``finally``를 사용하십시오.

예시::

    >>> model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Dropout(0.5), nn.Linear(8, 2))
    >>> model.training                            # a new module starts in training mode
    True
    >>> x = torch.randn(16, 4)
    >>> y = predict(model, x)
    >>> y.requires_grad, model.training
    (False, True)
    >>> torch.equal(y, predict(model, x))         # no dropout noise: same input, same output
    True
    >>> batch_norm = model[1].eval()              # batch norm alone in evaluation mode
    >>> y = predict(model, x)
    >>> model.training, model[1].training, model[2].training
    (True, False, True)

강의 내용 하나를 바로잡습니다: 강의는 검증할 때 ``requires_grad=False``로 설정하라고 권합니다. 그것은 학습할 때
파라미터를 *고정하는* 방법이지(연습문제 09), 검증하는 방법이 아닙니다: 드롭아웃과 배치 정규화를 학습 모드로 그대로
두고, 되돌리지 않으면 파라미터를 영영 바꿔 놓으며, 기울기를 요구하는 입력은 여전히 그래프를 만듭니다.
``model.eval()``을 ``torch.no_grad()``(또는 ``torch.inference_mode()``)와 함께 쓰십시오.
"""

import torch
from torch import nn


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """평가 모드에서 ``torch.no_grad()`` 아래 계산한 ``model(x)``를 돌려줍니다; 모델은 원래 상태로 돌려놓습니다."""
    ...
