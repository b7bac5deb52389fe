"""Make ``reliability_workers`` importable here and in the 'spawn' children, whatever the
pytest import mode (children inherit the parent's ``sys.path``)."""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
