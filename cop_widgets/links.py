"""Links to the pages members open, and where the workbooks live (installed or checked out)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["workbooks_dir", "member_link", "results_link", "endorse_link"]


def workbooks_dir() -> Path:
    """Return the folder holding ``member.ipynb``, ``facilitator.ipynb`` and ``results.ipynb``."""
    packaged = Path(__file__).with_name("workbooks")
    if (packaged / "member.ipynb").exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "workbooks"


def member_link(base_url: str, consultation_id: int, token: str) -> str:
    """Return a member's link to their position card in Voila."""
    return f"{base_url.rstrip('/')}/voila/render/member.ipynb?c={consultation_id}&t={token}"


def results_link(base_url: str, consultation_id: int) -> str:
    """Return the link to a consultation's read-only results page in Voila."""
    return f"{base_url.rstrip('/')}/voila/render/results.ipynb?c={consultation_id}"


def endorse_link(base_url: str, consultation_id: int, token: str) -> str:
    """Return a member's link to the draft joint response, to endorse it or not."""
    return f"{base_url.rstrip('/')}/voila/render/endorse.ipynb?c={consultation_id}&t={token}"
