# Busy threads on every core.
# status: error
# fails: all
# message: Stopped after
import threading


def spin():
    while True:
        pass


for _ in range(8):
    threading.Thread(target=spin, daemon=True).start()
spin()
