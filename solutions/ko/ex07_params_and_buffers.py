"""연습문제 07 — 파라미터, 버퍼, 그리고 일반 텐서

모듈은 세 종류의 텐서를 가질 수 있고, nn.Module은 이들을 매우 다르게 다룹니다:

==================================  =================  ==============  ==============  ==============
모듈에 두는 방식                    ``parameters()``   ``state_dict``  ``.to()``,      옵티마이저가
                                    (옵티마이저가 봄)  (저장됨)        ``.double()``   학습시킴
==================================  =================  ==============  ==============  ==============
``nn.Parameter(t)``                 예                 예              변환됨          예
``self.register_buffer("n", t)``    아니요             예              변환됨          아니요
``self.n = t`` (일반 텐서)          아니요             **아니요**      **그대로 둠**   아니요
==================================  =================  ==============  ==============  ==============

*버퍼*는 모델에 속하지만 학습되지는 않는 상태입니다: BatchNorm의 이동 평균과 이동 분산, 고정된 마스크, 학습 데이터의
통계 같은 것입니다. 일반 텐서 속성은 nn.Module에게 보이지 않습니다: ``model.to("cuda")``나 ``model.double()``을
해도 CPU나 float32에 그대로 남고, ``torch.save(model.state_dict(), ...)``는 이를 빠뜨리므로, 다시 불러온 모델은
생성자가 넣어 둔 값으로 아무 경고 없이 계산합니다.

1부. ``Standardize(mean, std)``를 작성하십시오: 모양이 (N, F)인 입력을 위한 레이어로, 학습 데이터에서 측정한
통계로 모든 특징을 표준화한 다음, 특징마다 학습되는 배율과 이동을 적용합니다::

    y = (x - mean) / std * weight + bias

* ``mean``과 ``std``는 생성자에 주어지는, 모양이 (F,)인 1차원 텐서입니다. 이들은 데이터의 상수입니다: ``mean``과
  ``std``라는 이름의 버퍼로 저장하십시오.
* ``weight``(F개의 1)와 ``bias``(F개의 0)는 학습됩니다: ``weight``와 ``bias``라는 이름의 ``nn.Parameter``로
  만드십시오.

이 네 이름은 과제의 일부입니다: ``state_dict()``의 키는 정확히 ``weight``, ``bias``, ``mean``, ``std``여야 합니다.
다른 레이어와 마찬가지로 ``Standardize``는 미분 가능합니다: ``backward()``를 호출하면 ``weight``, ``bias``, 그리고
입력 ``x``까지 기울기가 전달됩니다.

2부. ``count_parameters(model) -> int``를 작성하십시오: 모델의 파라미터가 담고 있는 수의 개수입니다 — 모든
파라미터의 원소 수이며, 고정된 파라미터(``requires_grad=False``)도 포함하고, 두 모듈이 공유하는 파라미터(묶인
가중치, tied weights)도 한 번만 세며, 버퍼는 세지 않습니다.

예시::

    >>> layer = Standardize(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 4.0]))
    >>> layer(torch.tensor([[2.0, 6.0]]))
    tensor([[2., 1.]], grad_fn=<AddBackward0>)
    >>> [name for name, _ in layer.named_parameters()], [name for name, _ in layer.named_buffers()]
    (['weight', 'bias'], ['mean', 'std'])
    >>> layer.double().mean.dtype
    torch.float64
    >>> count_parameters(nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)))
    24

왜 ``state_dict()``의 텐서를 세면 안 됩니까? state_dict에는 버퍼도 들어 있고(위의 BatchNorm에는
``running_mean``, ``running_var``, ``num_batches_tracked``가 있어 수가 9개 더 많습니다), 묶인 가중치는 이름마다
한 번씩 나열되므로 두 번 세게 됩니다. ``model.parameters()``는 모든 파라미터를 한 번씩, 그리고 파라미터만
내놓습니다.
"""

import torch
from torch import nn


class Standardize(nn.Module):
    """y = (x - mean) / std * weight + bias; mean과 std는 버퍼이고, weight와 bias는 파라미터입니다."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x의 모양은 (N, F)입니다; 결과의 모양도 같습니다."""
        ...


def count_parameters(model: nn.Module) -> int:
    """파라미터 원소의 개수입니다: 모든 파라미터의 원소를, 고정된 것도 포함해, 공유된 것은 한 번만 셉니다."""
    ...
