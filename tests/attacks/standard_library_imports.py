# Not an attack: honest code that imports modules of the standard library the engine does not import
# itself. As root at reduced isolation the worker's user may not read a Python installed under a
# private home (pyenv in /root), and must still import them all.
# status: passed
# fails: none
import bz2
import colorsys
import concurrent.futures.process
import difflib
import email.mime.text
import json.tool
import logging.handlers
import lzma
import secrets
import sysconfig
import termios
import unicodedata
import wave
import xml.dom.minidom
import zoneinfo

import torch.nn.functional as F
from torch import nn

USED = (bz2, colorsys, concurrent, difflib, email, json, logging, lzma, secrets, sysconfig, termios, unicodedata)
USED += (wave, xml, zoneinfo)


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))
