"""The facilitator key kept in a file, so that the facilitator's link survives a restart.

The file holds the key alone, is created readable and writable by its owner only (mode
0600), and is put back to that mode if it was opened wider.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

__all__ = ["read_or_create_key"]


def read_or_create_key(path: Path) -> str:
    """Return the key stored in ``path``, creating the file with a new key if it is absent.

    Parameters
    ----------
    path : Path
        The key file. Its folder is created if needed.

    Returns
    -------
    str
        A URL-safe key of 144 random bits (or whatever key the file already holds).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)  # readable by the owner only
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC)
    key = secrets.token_urlsafe(18)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
