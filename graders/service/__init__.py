"""The warm engine service: the same ``Engine`` and judge as a command's own, in a process that
outlives one command, so that the learner's next ``check`` pays for no ``import torch``.

The first command that grades starts it in the background (``client``); it listens on a Unix
socket in the checkout's ``.forwardpass/`` that only its owner may use (``protocol``), grades what
it is asked to with the code it started with (``server``), and exits after a while unused, or as
soon as a command finds that forwardpass's code, the solutions or the Python environment changed.
Commands reach it through ``graders.grader.open_grader``, which grades in their own process
whenever it cannot be reached.
"""
