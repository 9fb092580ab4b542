# Origin: https://github.com/pytorch/pytorch/blob/3b5cdd4f472f28ef44038ccee2007539f7624abf/docs/source/notes/autograd.md (Autograd mechanics, 'Multithreaded Autograd')
# Author/licence: PyTorch contributors, BSD-3-Clause licence
# changed: added 'import threading' and 'import torch'
import threading

import torch

# Define a train function to be used in different threads
def train_fn():
    x = torch.ones(5, 5, requires_grad=True)
    # forward
    y = (x + 3) * (x + 4) * 0.5
    # backward
    y.sum().backward()
    # potential optimizer update


# User write their own threading code to drive the train_fn
threads = []
for _ in range(10):
    p = threading.Thread(target=train_fn, args=())
    p.start()
    threads.append(p)

for p in threads:
    p.join()
