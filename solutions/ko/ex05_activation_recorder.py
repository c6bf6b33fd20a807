"""연습문제 05 — 활성화 값 기록기: 순전파 훅과 그 핸들

*순전파 훅*(forward hook)은 모듈이 ``module(x)``로 호출될 때마다, 자신의 ``forward``가 실행된 뒤에 모듈이 호출하는
함수입니다::

    def hook(module, inputs, output):   # inputs: 위치 인자들의 튜플
        ...                             # output: forward가 돌려준 값

    handle = layer.register_forward_hook(hook)
    ...
    handle.remove()                     # 훅을 다시 떼어 냅니다

``register_forward_hook``은 *핸들*을 돌려주며, 그 훅 하나만 다시 떼어 낼 수 있는 방법은 이 핸들뿐입니다. 제거하지
않은 훅은 여러분의 함수가 반환된 뒤에도 모델에 붙어 있습니다: 이후 호출될 때마다 실행되고, 훅이 참조하는 모든 것을
메모리에 살려 두며, 두 번째로 기록하면 첫 번째 훅 옆에 두 번째 훅이 더해집니다.

``record_output_shapes(model, x)``를 작성하십시오. 이 함수는 ``model(x)``를 한 번 실행하고, ``model``의 모든 하위
모듈의 이름을 그 하위 모듈 출력의 모양(int의 튜플; ``torch.Size``도 튜플입니다)에 대응시키는 dict를 돌려줍니다.
``model(x)`` 자체가 하는 일을 빼면, 이 함수는 모델을 받은 그대로 둡니다: 추가한 훅은 반환하기 전에 모두 제거하고,
모델에 원래 있던 훅은 그대로 남기며, 모든 모듈은 학습 모드인지 아닌지를 그대로 유지합니다 — ``model(x)``가 예외를
일으킬 때도 마찬가지입니다(예외는 그대로 전파되게 두십시오).

* "모든 하위 모듈"이란 ``model.named_modules()``가 내놓는 모듈 가운데 최상위 모듈(이름이 ``""``인 모델 자신)을 뺀
  전부입니다: 파라미터가 없는 레이어(``nn.ReLU``, ``nn.MaxPool2d``, ``nn.Flatten``, ``nn.Dropout``, …)도
  레이어이고, ``nn.Sequential`` 같은 컨테이너도 마찬가지입니다(컨테이너의 출력은 그 마지막 레이어의 출력입니다).
* 키는 ``named_modules()``가 주는 전체 이름(qualified name)입니다 — 예를 들어 ``features``라는 Sequential의 첫
  레이어라면 ``"features.0"``이며, 클래스 이름도, 모듈 객체도 아닙니다.
* ``model(x)`` 동안 실행되지 않은 모듈은 항목이 없습니다. 검사에 쓰는 모델에서는 모든 모듈이 한 번씩 실행되고
  텐서 하나를 돌려줍니다.
* 호출할 때마다 새 dict를 만드십시오: 두 번째 호출은, 다른 모델에 대한 호출이더라도, 첫 번째 호출의 결과를 보아서는
  안 됩니다.

예시::

    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> record_output_shapes(model, torch.zeros(3, 4))
    {'0': (3, 8), '1': (3, 8), '2': (3, 2)}
    >>> model[0]._forward_hooks        # nothing left behind
    OrderedDict()

주의할 점 두 가지:

* 반복문 안에서 만든 훅 ``lambda m, i, o: shapes.__setitem__(name, ...)``는 ``name``을 훅이 *실행될 때*, 즉
  반복문이 끝난 뒤에 찾으므로, 모든 훅이 마지막 이름 아래에 기록합니다. 훅을 만들 때 이름을 묶어 두십시오: 훅을
  돌려주는 보조 함수, 기본 인자(``lambda m, i, o, name=name: ...``) 또는 ``functools.partial``을 쓰면 됩니다.
* ``model(x)``가 실패해도 훅이 제거되도록, ``finally:`` 블록에서 훅을 제거하십시오.
"""

import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    """``model(x)``를 한 번 실행하고, 모든 하위 모듈에 대해 {전체 이름: 출력 모양}을 돌려주며,
    훅을 하나도 남기지 않습니다."""
    ...
