"""연습문제 04 — ``model(x)``는 훅을 실행하고, ``model.forward(x)``는 실행하지 않습니다

모듈을 ``model(x)``로 호출하면 ``nn.Module.__call__``을 거치는데, 이 메서드는 모듈의 순전파 *사전* 훅(forward
pre-hook), ``forward``, 순전파 훅(forward hook)을 차례로 실행합니다. ``model.forward(x)``를 직접 호출하면
``forward``만 실행됩니다: 여러분의 훅도, 다른 코드(프로파일러, 특징 추출기, 디버깅 도구)가 등록한 훅도 실행되지
않습니다. 그러니 항상 ``model(x)``로 호출하십시오.

순전파 훅은 등록된 모듈이 호출될 때마다 그 뒤에 실행되는 함수 ``hook(module, inputs, output)``입니다.
``module.register_forward_hook(hook)``은 *핸들*을 돌려주며, 훅은 ``handle.remove()``가 호출될 때까지 붙어 있습니다
— 여러분의 함수가 반환된 뒤에도, 이후 모델을 호출할 때마다, 모델이 존재하는 한 계속 말입니다. None이 아닌 값을 돌려주는
훅은 그 값으로 모듈의 출력을 바꿔 버리므로, 호출 횟수를 세는 훅은 아무것도 돌려주지 않습니다.

``count_calls(model, module, batches)``를 작성하십시오:

* ``module``(``model`` 자신 또는 그 하위 모듈 중 하나)에, 그 모듈이 몇 번 실행되는지 세는 순전파 훅을 등록합니다;
* ``batches``의 각 ``x``에 대해 차례로 ``model(x)``를 호출합니다;
* 반환하기 전에 여러분의 훅을, 그리고 여러분의 훅만 제거합니다 — 모델이 예외를 일으킬 때도 마찬가지이며(``try`` /
  ``finally``), 그 오류는 그대로 호출한 쪽에 전달됩니다;
* ``(outputs, count)``를 돌려줍니다: 배치마다 하나씩, ``model(x)``가 돌려준 그대로의 모델 출력을 담은 리스트와,
  ``count_calls``의 *이번* 호출 동안 ``module``이 실행된 횟수(int)입니다.

그 밖에는 아무것도 바꾸지 마십시오: 모델은 호출한 쪽이 정한 모드(``train()`` 또는 ``eval()``)와 autograd 설정
(``torch.no_grad()``인지 아닌지) 그대로 실행되고, 그 모드에 그대로 머뭅니다. 따라서 호출한 쪽의 설정에서 출력이
autograd 그래프의 일부가 될 때는 여러분이 돌려주는 출력도 그래프의 일부로 남고, 이로부터 계산한 손실로 모델을
학습시킬 수 있습니다.

한 모듈이 배치 하나에 여러 번 실행될 수 있습니다: 모델이 두 번 사용하는 레이어는 두 번 셉니다. ``module``은 모델
트리의 어디에나 있을 수 있고(예를 들어 ``nn.ModuleDict`` 안의 ``nn.Sequential`` 안), 그 모듈이 돌려주는 값이
텐서가 아닐 수도 있습니다(예를 들어 튜플): 그래도 똑같이 호출 횟수를 세십시오.

예시::

    >>> shared = nn.Linear(4, 4)
    >>> model = nn.Sequential(shared, nn.ReLU(), shared)   # the same layer, used twice
    >>> outputs, count = count_calls(model, shared, [torch.zeros(1, 4), torch.zeros(3, 4)])
    >>> count, [out.shape for out in outputs]
    (4, [torch.Size([1, 4]), torch.Size([3, 4])])
    >>> count_calls(model, model, [torch.zeros(1, 4)])[1]
    1
    >>> len(shared._forward_hooks), len(model._forward_hooks)   # nothing left behind
    (0, 0)

순전파 사전 훅(``register_forward_pre_hook``)으로 세어도 똑같이 됩니다.
"""

from torch import nn


def count_calls(model: nn.Module, module: nn.Module, batches: list) -> tuple[list, int]:
    """batches의 각 x에 대해 model(x)를 실행하고, (outputs, module이 실행된 횟수)를 돌려줍니다."""
    ...
