"""연습문제 06 — 모듈 트리: children(), modules(), named_modules(), get_submodule()

모델은 모듈의 트리입니다. 다른 모듈에 저장된 모듈(``self.features = ...``, ``nn.Sequential``, ``nn.ModuleList``,
``nn.ModuleDict``의 항목)은 모두 그 모듈의 *자식 모듈*입니다. 이 트리를 훑는 메서드가 네 가지 있습니다:

* ``model.children()`` / ``model.named_children()``: 한 단계 아래에 있는 직접적인 자식 모듈만;
* ``model.modules()`` / ``model.named_modules()``: 트리 전체를 깊이 우선으로 — **모델 자신이 먼저**(이름은
  ``""``), 그다음 그 아래의 모든 모듈을 한 번씩, 컨테이너와 파라미터가 없는 레이어도 포함해서;
* ``model.get_submodule("features.1")``: ``named_modules()``가 쓰는 것과 같은, 점으로 이어진 이름에 있는 모듈.

강의 내용 하나를 바로잡습니다: 강의는 ``.modules()``가 가중치를 가진 모듈만 내놓는다고 말합니다. 그렇지 않습니다.
``modules()``는 트리의 *모든* 모듈을 내놓습니다: 최상위 모듈(모델 자신), ``nn.Sequential`` 같은 컨테이너, 그리고
``nn.ReLU``, ``nn.MaxPool2d``, ``nn.Flatten``, ``nn.Dropout``처럼 파라미터가 전혀 없는 레이어까지.

아래 모델을 예로 들면::

    model = nn.Sequential(
        nn.Linear(4, 8),
        nn.ReLU(),
        nn.Sequential(nn.Dropout(0.1), nn.Linear(8, 2)),
    )

``list(model.modules())``에는 항목이 6개 있습니다: 바깥 Sequential, Linear, ReLU, 안쪽 Sequential, Dropout, 두 번째
Linear; ``[n for n, _ in model.named_modules()]``는 ``['', '0', '1', '2', '2.0', '2.1']``이고,
``model.get_submodule("2.1")``은 마지막 Linear입니다.

함수 네 개를 작성하십시오. 각 함수는 어떤 ``nn.Module``이든 받습니다(다른 트리로도 검사합니다: ``ModuleList``,
``ModuleDict``, 더 깊은 중첩, 트리의 두 곳에 있는 모듈, 파라미터가 전혀 없는 모델):

* ``count_modules(model) -> int``: 트리에 있는 모듈의 개수 — ``modules()``가 내놓는 만큼: 최상위 모듈과 파라미터가
  없는 모듈도 포함합니다. 위의 예에서는 6입니다.
* ``parameter_free_modules(model) -> list[str]``: ``m.parameters()``처럼 하위 모듈의 파라미터까지 세었을 때
  파라미터를 전혀 갖지 않는 모듈들의 전체 이름(``named_modules()``가 주는 그대로, 최상위 모듈의 ``""`` 포함);
  따라서 컨테이너는 그 안의 모든 것에 파라미터가 없을 때에만 파라미터가 없는 것으로 칩니다. 고정된
  파라미터(``requires_grad=False``)도 파라미터입니다; 버퍼는 파라미터가 아닙니다. 위의 예에서는
  ``['1', '2.0']``입니다. 순서는 상관없습니다.
* ``child_names(model) -> list[str]``: 직접적인 자식 모듈들의 이름, 순서대로. 위의 예에서는
  ``['0', '1', '2']``입니다.
* ``replace_module(model, name, new) -> None``: 점으로 이어진 이름 ``name``에 있는 하위 모듈을 모듈 ``new``로
  제자리에서(in-place) 바꾸어, 그 뒤에는 ``model.get_submodule(name) is new``가 성립하고 ``model(x)``가 새 모듈을
  사용하게 합니다. 위의 예에서 ``replace_module(model, "2.0", nn.Identity())``는 드롭아웃을 없앱니다. 이름에는
  점이 몇 개든 있을 수 있고, 하나도 없을 수도 있습니다(``"head"``는 최상위 모듈의 자식 모듈입니다).

``replace_module``에 대해: ``setattr(model, "2.0", new)``로는 되지 않습니다 — 이름에 우연히 점이 들어 있는 새 자식
모듈을 더할 뿐, 예전 모듈은 그 자리에 그대로 둡니다. ``layer = model.get_submodule(name); layer = new``도 지역
변수를 다시 묶을 뿐이므로 되지 않습니다. *부모* 모듈(마지막 점 앞부분에 대한 ``get_submodule``)을 찾아, 이름의
마지막 부분을 그 모듈에 설정하십시오: ``setattr(parent, "0", new)``는 Sequential, ModuleList, ModuleDict의
항목에도 통합니다.
"""

from torch import nn


def count_modules(model: nn.Module) -> int:
    """트리에 있는 모듈의 개수이며, 최상위 모듈과 파라미터가 없는 모듈도 포함합니다."""
    ...


def parameter_free_modules(model: nn.Module) -> list[str]:
    """parameters()(하위 모듈의 것 포함)가 비어 있는 모듈들의 전체 이름입니다."""
    ...


def child_names(model: nn.Module) -> list[str]:
    """직접적인 자식 모듈들의 이름을 순서대로 돌려줍니다."""
    ...


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    """``name``(named_modules()가 쓰는 대로 점으로 이어진 이름)이라는 하위 모듈의 자리에 ``new``를 넣습니다."""
    ...
