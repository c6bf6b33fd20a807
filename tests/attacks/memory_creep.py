# Memory touched little by little, in several processes, until the job's limit.
# status: error
# fails: all
# message: more than 2 GiB of memory
import os
import time

import torch

for _ in range(3):
    if os.fork() == 0:
        break
hoard = []
for _ in range(40):  # at most 40 x 200 MB per process, stopped long before
    hoard.append(torch.ones(50_000_000))
    time.sleep(0.01)
time.sleep(30)
