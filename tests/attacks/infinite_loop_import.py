# An infinite loop at the top level.
# status: error
# fails: all
# message: Stopped after
while True:
    pass
