# Ignores every signal it can, then loops.
# status: error
# fails: all
# message: Stopped after
import signal

for name in ("SIGTERM", "SIGALRM", "SIGINT", "SIGHUP", "SIGXCPU", "SIGUSR1", "SIGVTALRM"):
    signal.signal(getattr(signal, name), signal.SIG_IGN)
while True:
    pass
