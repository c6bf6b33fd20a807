"""연습문제 11 — 키가 모델과 맞지 않는 체크포인트 불러오기

``model.load_state_dict(state_dict)``는 텐서를 *이름*으로 찾아 복사합니다. ``strict=True``(기본값)이면 맞지 않는
dict를 거부하고 그 이유를 알려 줍니다: **누락된 키(missing keys)**는 모델에는 있는데 dict에는 없는 텐서이고;
**예상치 못한 키(unexpected keys)**는 dict에는 있는데 모델에는 없는 이름입니다. 이런 불일치가 생기는 흔한 이유
두 가지:

* 저장할 때 모델이 ``nn.DataParallel``(또는 ``DistributedDataParallel``)로 감싸여 있었습니다. 이 래퍼는 여러분의
  모델을 속성 ``module``로 가지고 있으므로, 모든 키가 ``module.``로 시작합니다: ``encoder.0.weight`` 대신
  ``module.encoder.0.weight``가 됩니다.
* 체크포인트를 저장한 코드와 불러오는 코드 사이에 레이어 이름이 바뀌었습니다: ``encoder``는 이제 ``backbone``이라고
  부르고, ``fc``는 이제 ``head``입니다.

함수 두 개를 작성하십시오:

* ``remap_keys(state_dict, renames, prefix="module.")``는 같은 텐서를 새 이름 아래에 담은 **새** dict를
  돌려줍니다. 먼저, ``prefix``로 시작하는 키에서는 그 접두사를 뗍니다(그렇게 시작하지 않는 키는 그대로 둡니다:
  DataParallel 없이 저장한 체크포인트에는 접두사가 없습니다). 접두사는 인자로 받습니다: ``torch.compile`` 뒤에
  저장한 모델에는 그 대신 ``_orig_mod.``가 붙습니다. 그다음 ``renames``는 예전 모듈 이름을 새 이름에 대응시킵니다:
  ``{"encoder": "backbone"}``는 ``encoder.0.weight``를 ``backbone.0.weight``로 바꿉니다. 이름 바꾸기는 키의 맨
  앞에 있는 온전한 모듈 이름에만 적용됩니다: ``{"fc": "head"}``는 ``fc.weight``의 이름을 바꾸지만
  ``fc2.weight``나 ``block.fc.weight``는 바꾸지 않습니다. 예전 이름에는 점이 들어 있을 수 있습니다
  (``"encoder.0"``); ``renames``의 어떤 예전 이름도 다른 예전 이름의 앞부분이 아니므로, 한 키에 적용되는 이름
  바꾸기는 많아야 하나입니다. 주어진 dict는 바꾸지 마십시오: 호출한 쪽에서 아직 필요할 수 있습니다.
* ``load_checkpoint(model, checkpoint, renames, prefix="module.")``는 ``remap_keys``로 키를 바꾼 ``checkpoint``를
  ``model``에 불러옵니다(제자리에서(in-place); 아무것도 돌려주지 않습니다). 여전히 맞지 않는 체크포인트가 절반만
  불러와지는 대신 오류를 일으키도록, 엄격하게(strict) 불러오십시오. 불러오기는 모델 텐서의 값만 바꾸고 다른 것은
  바꾸지 않습니다: 모델은 원래 있던 모드에 그대로 머물고 전과 똑같이 학습됩니다.

예시::

    >>> checkpoint = {"module.encoder.0.weight": w, "module.fc.bias": b}
    >>> remap_keys(checkpoint, {"encoder": "backbone", "fc": "head"})
    {'backbone.0.weight': w, 'head.bias': b}
    >>> list(checkpoint)           # unchanged
    ['module.encoder.0.weight', 'module.fc.bias']

왜 ``strict=False``를 쓰면 안 됩니까? 이 옵션은 *잘못된* 키만 건너뛰는 것이 아니라, 맞지 않는 *모든* 키를
건너뜁니다: 접두사가 붙은 채로는 아무것도 맞지 않으므로, ``load_state_dict(..., strict=False)``는 텐서를 0개
불러오고, 아무 오류도 일으키지 않으며, 여러분은 무작위로 초기화된 모델을 학습하거나 평가하게 됩니다. 누락된 키와
예상치 못한 키를 돌려주기는 하지만, 무시하기 쉬운 반환값으로만 돌려줍니다. ``strict=False``는 의도적으로 일부만
불러올 때(연습문제 12)를 위해 남겨 두고, 그때도 반환값을 확인하십시오.

함정이 두 가지 더 있습니다: ``key.lstrip("module.")``는 접두사를 떼는 것이 아니라, 앞에서부터 ``m o d u l e .``
중 하나인 문자를 모두 뗍니다(``"module.encoder.0.weight".lstrip("module.")``는 ``"ncoder.0.weight"``입니다);
``key.removeprefix(prefix)``를 쓰십시오. 또 ``key.replace("fc", "head")``는 키 안 어디에 있든 ``fc``를 바꾸며,
``fc2``도 예외가 아닙니다.
"""

import torch
from torch import nn


def remap_keys(state_dict: dict[str, torch.Tensor], renames: dict[str, str], prefix: str = "module.") -> dict:
    """새 dict를 돌려줍니다: ``prefix``로 시작하는 키에서 접두사를 떼고, 그다음 모듈 이름을 바꿉니다."""
    ...


def load_checkpoint(
    model: nn.Module, checkpoint: dict[str, torch.Tensor], renames: dict[str, str], prefix: str = "module."
) -> None:
    """키를 바꾼 ``checkpoint``를 ``model``에 불러옵니다; 정확히 맞지 않으면 오류를 일으킵니다."""
    ...
