"""연습문제 12 — 새 헤드를 단 모델에 사전 학습된 백본 불러오기

전이 학습은 다른 작업에서 학습된 네트워크에서 출발합니다: 그 백본(이미지를 특징으로 바꾸는 레이어들)은 그대로 두고,
그 위에 여러분의 클래스를 위한 새 헤드를 얹습니다. 그러면 사전 학습된 체크포인트는 여러분의 모델에 일부만 맞습니다:

* 백본의 텐서는 양쪽에서 이름과 모양이 같습니다: 이 텐서들을 불러옵니다;
* 헤드는 이름(``head.weight``, ``head.bias``)은 같지만 모양이 다르므로(예전 헤드는 클래스가 10개, 여러분의 헤드는
  18개) 불러오면 *안* 됩니다: 헤드는 새로 초기화된 값을 그대로 유지합니다;
* 체크포인트에는 여러분의 모델에 없는 레이어(보조 분류기)가 있을 수 있고, 여러분의 모델에는 체크포인트에 없는
  레이어가 있을 수 있습니다.

함수 두 개를 작성하십시오:

* ``compatible_tensors(model, state_dict)``는 ``state_dict``의 항목 중 ``model``이 받을 수 있는 것들로 새 dict를
  만들어 돌려줍니다: 키가 ``model.state_dict()``의 키 중 하나이면서 *동시에* 텐서의 모양이 모델의 텐서와 같은
  항목입니다. 텐서 하나하나 따로 판단하십시오: 입력 크기가 바뀐 레이어라면, 체크포인트의 편향은 여전히 맞으므로
  남기고, 가중치는 남기지 않습니다. ``named_parameters()``가 아니라 ``model.state_dict()``를 사용하십시오:
  state_dict에는 버퍼(배치 정규화의 이동 평균과 이동 분산)도 들어 있는데, 버퍼도 가중치만큼이나 사전 학습된 백본의
  일부이며, state_dict는 두 이름으로 등록된 모듈을 두 이름 모두로 나열합니다.
* ``load_pretrained(model, state_dict)``는 호환되는 텐서를 ``model``에 (제자리에서(in-place)) 불러오고,
  ``model``의 다른 텐서는 모두 그대로 두며, 불러온 키의 목록을 정렬해서 돌려줍니다. 불러오기는 모델 텐서의 값만
  바꾸고 다른 것은 바꾸지 않습니다: 모델은 원래 있던 모드에 그대로 머물고 전과 똑같이 학습됩니다.

예시::

    >>> checkpoint = pretrained.state_dict()     # backbone + head = nn.Linear(16, 10)
    >>> model = Net(classes=18)                  # backbone + head = nn.Linear(16, 18)
    >>> load_pretrained(model, checkpoint)
    ['backbone.0.bias', 'backbone.0.weight', 'backbone.1.bias', ...]   # no head.* in it

키만으로 거르는 것으로는 부족합니다: ``head.weight``는 두 dict 모두에 있고, ``model.load_state_dict``는 이 키를
만나면 ``strict=False``일 때도 "size mismatch for head.weight" 오류를 일으킵니다(strict는 누락되었거나 예상치
못한 *키*에만 관계합니다). 그래도 ``param.data = tensor``로 복사해 넣는 것은 더 나쁩니다: 여러분의 18 클래스
헤드가 아무 경고 없이 예전의 10 클래스 헤드로 바뀝니다. 거른 뒤에는 ``strict=False``로 불러오십시오: 그러면
헤드의 키는 일부러 dict에서 빠져 있는 것인데, 엄격한 불러오기는 이를 거부하기 때문입니다.
"""

import torch
from torch import nn


def compatible_tensors(model: nn.Module, state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """``state_dict``의 항목 중 키가 ``model.state_dict()``에 있고 모양도 같은 항목들입니다."""
    ...


def load_pretrained(model: nn.Module, state_dict: dict[str, torch.Tensor]) -> list[str]:
    """``state_dict``의 호환되는 텐서를 ``model``에 불러오고, 그 키들을 정렬해서 돌려줍니다."""
    ...
