#!/usr/bin/env bash
# forwardpass's autograder, set up on Gradescope's Ubuntu image. Gradescope runs this once, as root,
# when it builds the image: Python @PYTHON_VERSION@, the CPU build of torch==@TORCH_VERSION@ and forwardpass's
# other pinned packages go into a virtual environment in $PREFIX, which run_autograder uses.
#
# Python @PYTHON_VERSION@: Gradescope's base images ship an older python3 (3.6 to 3.10, by Ubuntu release), and
# Ubuntu's own packages of other versions come and go between releases. So unless a python@PYTHON_VERSION@ with
# venv is already there, uv (@UV_VERSION@, pinned) installs a standalone CPython @PYTHON_VERSION@ build: the same
# interpreter on every Ubuntu release, no PPA, no compiler.
set -euo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"  # /autograder/source on Gradescope
PREFIX="${FORWARDPASS_PREFIX:-/opt/forwardpass}"
PYTHON_VERSION="@PYTHON_VERSION@"
UV_VERSION="@UV_VERSION@"
TORCH_INDEX="@TORCH_INDEX@"
TORCH_VERSION="@TORCH_VERSION@"

say() { echo "forwardpass setup: $*"; }

# A python of the right version whose venv module works (Debian's python3.X needs python3.X-venv).
usable_python() {
    local candidate
    for candidate in "${FORWARDPASS_BASE_PYTHON:-}" "python$PYTHON_VERSION"; do
        [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c "import sys, ensurepip, venv; sys.exit(sys.version_info[:2] != tuple(map(int, '$PYTHON_VERSION'.split('.'))))" 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

if BASE="$(usable_python)"; then
    say "using $BASE"
else
    if ! command -v curl >/dev/null 2>&1; then
        apt-get update -q && apt-get install -y -q --no-install-recommends curl ca-certificates
    fi
    say "installing uv $UV_VERSION and CPython $PYTHON_VERSION into $PREFIX"
    curl -LsSf "https://astral.sh/uv/$UV_VERSION/install.sh" | env UV_UNMANAGED_INSTALL="$PREFIX/uv" sh
    UV="$(ls "$PREFIX/uv/uv" "$PREFIX/uv/bin/uv" 2>/dev/null | head -n 1)"
    export UV_PYTHON_INSTALL_DIR="$PREFIX/python" UV_PYTHON_PREFERENCE=only-managed
    "$UV" python install "$PYTHON_VERSION"
    BASE="$("$UV" python find "$PYTHON_VERSION")"
fi

VENV="$PREFIX/venv"
"$BASE" -m venv "$VENV"
PY="$VENV/bin/python"
# torch first, from PyTorch's CPU index (PyPI's Linux wheel is a CUDA build of several gigabytes);
# then everything else from PyPI, pinned; the torch pin there is already met by the CPU build.
"$PY" -m pip install -q --no-cache-dir --disable-pip-version-check --no-deps --index-url "$TORCH_INDEX" "torch==$TORCH_VERSION"
"$PY" -m pip install -q --no-cache-dir --disable-pip-version-check -r "$SOURCE/requirements.txt"
"$PY" -c "import torch, sys; print('forwardpass setup: Python', sys.version.split()[0], 'torch', torch.__version__)"

# The bundle holds the hidden checks, the reference's observations and the secret seed: readable by
# root only, so that a student's code (run as another user where namespaces are refused) cannot.
chmod -R go-rwx "$SOURCE"
chmod -R go+rX "$PREFIX"

# A first grading, to show in the build log that the engine works here and at which isolation.
cd "$SOURCE"
# The course file beside graders/ gives the assignment, and check its secret seed.
FIRST="$(PYTHONPATH="$SOURCE" "$PY" -c "from graders.course import FILE_NAME, read; from pathlib import Path; print(read(Path(FILE_NAME)).assignment[0])")"
if PYTHONPATH="$SOURCE" "$PY" -m graders check "exercises/$FIRST.py" --all --json > "$PREFIX/smoke.json" \
    2> "$PREFIX/smoke.log" || [ $? -eq 1 ]; then
    "$PY" -c "import json, sys; print('forwardpass setup: the engine works; isolation:', json.load(open(sys.argv[1]))['isolation'])" "$PREFIX/smoke.json"
else
    say "warning: a trial grading failed; see $PREFIX/smoke.log"
    tail -n 20 "$PREFIX/smoke.log" || true
fi
