# Writes a 1 GiB file into its working directory.
# status: error
# fails: all
# message: File too large
chunk = b"x" * (1 << 20)
with open("forwardpass-attack-large", "wb") as file:
    for _ in range(1024):
        file.write(chunk)
