"""Playwright's ``expect`` for the browser tests, or the importing test module skipped.

A machine without the test extras skips the browser tests with a reason; under ``CI=true``
a missing Playwright is an error (the test command installs it). Import ``expect`` from
here rather than from ``playwright.sync_api``.
"""

from __future__ import annotations

import pytest
from helpers import in_ci

try:
    from playwright.sync_api import expect
except ImportError:
    if in_ci():
        raise
    pytest.skip("playwright is not installed (pip install -e '.[test]')",
                allow_module_level=True)

__all__ = ["expect"]
