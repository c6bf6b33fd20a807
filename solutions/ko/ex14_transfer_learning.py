"""연습문제 14 — 전이 학습: 사전 학습된 백본으로 만드는 18 클래스 마스크 분류기

마무리 연습문제입니다: 앞의 연습문제들을 한데 모아, 실제 이미지 분류 프로젝트의 첫날 작성할 법한 코드로 만듭니다.
과제는 이 과정의 마스크 착용 분류입니다: 모든 사진은 18개 클래스 중 하나를 받으며, 이는 마스크 상태 3가지(착용,
잘못 착용, 미착용) × 성별 2가지 × 연령대 3가지(< 30, 30–59, 60+)이고, 번호는 ``6 * mask + 3 * gender + age``입니다.
사진 몇천 장으로 네트워크를 처음부터 학습하면 잘 되지 않으므로, 더 큰 데이터셋에서 사전 학습된 백본에서 출발해
미세 조정(fine-tuning)합니다.

아래에 주어진 코드(바꾸지 마십시오)가 그 백본 ``Backbone``을 정의합니다: 이름이 붙은 블록 ``stem``, ``block1``,
``block2``, ``block3``(각각 Conv2d, BatchNorm2d, ReLU), 평균 풀링, 10 클래스 헤드 ``fc`` = Linear(64, 10)으로
이루어진 작은 CNN이며, 32×32 컬러 이미지로 사전 학습되었습니다. ``make_pretrained_checkpoint(path)``는 모든 것이
오프라인에서, 어느 컴퓨터에서나 똑같이 실행되도록 고정된 시드로 만든 이 백본의 "사전 학습된" 체크포인트를 씁니다;
ImageNet 가중치를 내려받는 일을 대신하는 것입니다. 파일에는 다음과 같은 dict가 들어 있습니다::

    {"arch": "Backbone", "num_classes": 10, "state_dict": {...백본의 state_dict...}}

함수 두 개를 작성하십시오:

* ``build_classifier(checkpoint_path) -> Backbone`` —
  1. ``Backbone()``을 만들고 체크포인트의 가중치를 불러옵니다: ``torch.load(checkpoint_path, weights_only=True)``로
     파일을 읽고, 그 ``"state_dict"``를 ``load_state_dict``로(기본값인 strict로) 불러옵니다. BatchNorm의 이동
     통계(버퍼)를 포함해 모든 텐서가 빠짐없이 들어가야 합니다. 주어진 파일을 있는 그대로 불러오십시오: 채점기는
     다른 시드로 만든 체크포인트도 넘깁니다;
  2. 헤드를 바꿉니다: ``model.fc``는 예전 헤드의 ``in_features``를 입력 크기로 하고 출력이 ``NUM_CLASSES``(18)개인
     새 ``nn.Linear``가 됩니다. ``state_dict``의 키가 체크포인트의 키와 같게 유지되도록, 이름 ``fc``를 그대로 쓰고
     ``Backbone`` 자체를 돌려주십시오(그것을 감싼 래퍼가 아니라);
  3. ``stem``, ``block1``, ``block2``를 고정합니다(그 파라미터들의 ``requires_grad``를 False로); ``block3``, 그리고 새
     ``fc``는 학습 가능한 상태로 둡니다: 사진이 적으므로 마지막 블록과 헤드만 미세 조정합니다;
  4. 미세 조정할 준비가 된, 학습 모드의 모델을 돌려줍니다.
* ``trainable_parameters(model)`` — 옵티마이저에 넘길 파라미터: ``model``의 파라미터 중 기울기를 요구하는 것을
  정확히 그것만, 각각 한 번씩, 리스트(또는 어떤 이터러블)로, 모델의 순서(``model.parameters()``의 순서)대로
  돌려줍니다. 어떤 모델에서든 동작합니다: 채점기는 이름과 중첩 구조가 다른 모델, 모델 자체에 파라미터가 있는
  모델, 두 번 사용되는 하위 모듈이 있는 모델도 넘깁니다.

예시::

    >>> make_pretrained_checkpoint("backbone.pt")
    >>> model = build_classifier("backbone.pt")
    >>> model(torch.zeros(4, 3, 32, 32)).shape
    torch.Size([4, 18])
    >>> [name for name, p in model.named_parameters() if p.requires_grad]
    ['block3.0.weight', 'block3.1.weight', 'block3.1.bias', 'fc.weight', 'fc.bias']
    >>> optimizer = torch.optim.SGD(trainable_parameters(model), lr=0.01, momentum=0.9)

주의할 점:

* ``model.requires_grad = False``는 아무것도 고정하지 않습니다: 모듈에 평범한 Python 속성을 하나 설정할
  뿐입니다. 파라미터를 고정하십시오: 각 파라미터에 ``p.requires_grad_(False)``를 하거나,
  ``module.requires_grad_(False)``를 쓰십시오(밑줄이 붙은 것: 그 일을 대신 해 주는 메서드입니다).
* ``model.eval()``도 아무것도 고정하지 않습니다: BatchNorm과 Dropout을 평가용 동작으로 바꿀 뿐이고, 기울기는
  여전히 흐릅니다. 강의는 검증할 때 ``requires_grad=False``를 권합니다; 이것도 잘못된 도구입니다. 검증은
  ``model.eval()``과 ``torch.no_grad()`` 아래에서 하십시오; ``requires_grad``는 학습이 어떤 파라미터를 바꿀 수
  있는지 고르는 데 쓰십시오.
* ``load_state_dict(..., strict=False)``는 불일치를 없애는 것이 아니라 숨깁니다: 맞지 않는 키는 건너뛰고 반환값에만
  나열됩니다. ``"state_dict"`` 대신 체크포인트 dict 전체를 넘기면, 아무 경고 없이 아무것도 불러오지 않습니다.
* 순서가 중요합니다: 고정한 뒤에 만든 레이어는 학습 가능하고(새 파라미터는 기울기를 요구합니다), 헤드를 바꾼 뒤에
  적용한 고정은 헤드까지 고정합니다.
* 선택 사항: 고정된 블록도 학습 모드에서는 BatchNorm의 이동 통계를 계속 갱신합니다(``requires_grad``는 기울기를
  막을 뿐, 버퍼 갱신은 막지 않습니다). 고정된 블록에 ``.eval()``을 호출하면 이 통계도 고정됩니다; 나중에
  ``model.train()``을 호출하면 그 효과가 사라집니다.

강의 슬라이드 내용 하나를 바로잡습니다: 슬라이드는 3채널 이미지를 ``Conv2d(1, ...)``에 넣습니다. 레이어의
``in_channels``는 입력의 채널 수와 맞아야 합니다: 이 백본의 stem은 모양이 (N, 3, H, W)인 컬러 이미지를 위한
``Conv2d(3, 8, 3)``입니다.
"""

import torch
from torch import nn

PRETRAINED_SEED = 2024


# ---- 주어진 코드: 사전 학습된 백본입니다. 바꾸지 마십시오. ------------------------------------


class Backbone(nn.Module):
    """(N, 3, H, W) 컬러 이미지를 위한 작은 CNN입니다: stem, 블록 세 개, 풀링, 헤드."""

    ...


def pretrained_state_dict(seed: int = PRETRAINED_SEED) -> dict[str, torch.Tensor]:
    """``seed``로 만든 백본의 "사전 학습된" 가중치입니다: 어느 컴퓨터에서나 같습니다."""
    ...


def make_pretrained_checkpoint(path, seed: int = PRETRAINED_SEED) -> None:
    """사전 학습된 백본의 체크포인트를 ``path``에 씁니다(내려받기를 대신합니다)."""
    ...


# ---- 여러분이 작성할 코드. ----------------------------------------------------------------------


def build_classifier(checkpoint_path) -> Backbone:
    """18개 클래스 헤드를 단, 사전 학습된 Backbone입니다; block3과 fc만 학습 가능합니다."""
    ...


def trainable_parameters(model: nn.Module) -> list[nn.Parameter]:
    """``model``의 파라미터 중 기울기를 요구하는 것들을 모델의 순서대로 돌려줍니다."""
    ...
