"""연습문제 10 — 체크포인트: 학습을 저장하고, 정확히 그대로 이어 가기

오래 걸리는 학습은 중간중간 저장해 두어, 프로그램이 죽거나 시간 제한에 걸려도 잃지 않게 합니다. 체크포인트에는
다음 학습 스텝들을 결정하는 모든 것이 들어 있어야 합니다: 모델의 가중치 *그리고* 옵티마이저의 상태. 둘 다
``state_dict()``로 얻습니다: 텐서와 숫자로 이루어진 평범한 딕셔너리로, ``torch.save``가 쓰고
``torch.load(path, weights_only=True)``가 안전하게 다시 읽습니다.

함수 두 개를 작성하십시오(다른 코드가 이 파일들을 읽으므로, 함수의 이름과 시그니처도, 파일의 구성도 정해져
있습니다):

* ``save_checkpoint(path, model, optimizer, step)``: 키가 정확히 세 개인 dict를 ``torch.save``로 ``path``에
  씁니다: ``"model"``(모델의 ``state_dict()``), ``"optimizer"``(옵티마이저의 ``state_dict()``), ``"step"``(int
  ``step``).
* ``load_checkpoint(path, model, optimizer)``: ``torch.load(path, weights_only=True)``로 파일을 읽고, 저장된
  상태를 주어진 ``model``과 ``optimizer``(새로 만든, 저장된 것과 같은 종류의 객체)에 불러온 다음, 저장된 스텝을
  돌려줍니다.

모델은 어떤 ``nn.Module``이든 될 수 있습니다: 모델의 상태는 파라미터와 버퍼(BatchNorm의 이동 통계 같은 것)입니다.
옵티마이저는 ``torch.optim``의 어떤 옵티마이저든 될 수 있습니다.

k 스텝 뒤에 저장하고, 새 모델과 옵티마이저에 불러와 이어 간 학습은, 한 번도 멈추지 않은 학습과 비트 하나까지 같은
가중치를 내야 합니다.

예시::

    >>> model = nn.Linear(3, 2)
    >>> optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    >>> ...                                   # train for 100 steps
    >>> save_checkpoint("run.pt", model, optimizer, step=100)
    >>> torch.load("run.pt", weights_only=True).keys()
    dict_keys(['model', 'optimizer', 'step'])
    >>> model2 = nn.Linear(3, 2)
    >>> optimizer2 = torch.optim.Adam(model2.parameters(), lr=0.01)
    >>> load_checkpoint("run.pt", model2, optimizer2)
    100

피해야 할 실수 두 가지:

* **객체가 아니라 state_dict를 저장하십시오.** ``torch.save(model, path)``는 객체 전체를 pickle로 저장합니다:
  불러오려면 모델의 클래스가 같은 Python 모듈에 같은 이름으로 있어야 하고, 언피클링(unpickling)은 파일에 든 임의의
  코드를 실행할 수 있습니다. PyTorch 2.6부터 ``torch.load``는 기본으로 ``weights_only=True``로 읽으며 이런 파일을
  거부합니다("Weights only load failed … Unsupported global"). 직접 만들지 않은 파일에 ``weights_only=False``를
  써서 이를 "고치지" 마십시오; 대신 ``model.state_dict()``를 저장하십시오.
* **옵티마이저도 저장하십시오.** Adam은 파라미터마다 기울기와 그 제곱의 이동 평균, 그리고 스텝 수를 가지고
  있습니다; 모멘텀을 쓰는 SGD는 속도(velocity)를 가지고 있습니다. 새 옵티마이저는 이 값들을 0에서 시작하므로,
  다시 이어 간 학습은 한 번도 멈추지 않은 학습과 다른 스텝을 밟게 됩니다.
"""

import torch
from torch import nn


def save_checkpoint(path: str, model: nn.Module, optimizer: torch.optim.Optimizer, step: int) -> None:
    """state_dict들을 담아 torch.save({"model": ..., "optimizer": ..., "step": step}, path)를 실행합니다."""
    ...


def load_checkpoint(path: str, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """path의 체크포인트를 model과 optimizer에 불러오고, 저장된 스텝을 돌려줍니다."""
    ...
