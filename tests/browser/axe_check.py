"""axe-core scans for the browser tests: one rule set, one verdict, one report.

``axe-playwright-python`` carries ``axe.min.js``, so nothing is fetched. A violation fails
when its impact is serious or critical, or, at any impact, when it is one of the rules the
Voila template answers for (so that a fix there cannot regress).
"""

from __future__ import annotations

import pytest
from helpers import in_ci

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pip install -e '.[test]'
    if in_ci():
        raise
    Axe = None

__all__ = ["BLOCKING", "TEMPLATE_RULES", "AXE_OPTIONS", "axe_scan", "describe"]

#: Impacts that fail a scan (axe-core: minor < moderate < serious < critical).
BLOCKING = {"serious", "critical"}
#: Rules the Voila template answers for: they fail at any impact, so a fix cannot regress.
TEMPLATE_RULES = {
    "region", "landmark-one-main", "landmark-no-duplicate-main", "landmark-unique",
    "html-has-lang", "html-lang-valid", "valid-lang", "target-size", "color-contrast",
    "link-in-text-block", "document-title", "bypass",
}
#: The axe-core rule sets a scan runs: WCAG 2.0-2.2 A and AA, and axe's best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                           "best-practice"]},
}


def axe_scan(page, label: str) -> list[dict]:
    """Run axe-core on ``page``; print every violation; return those that fail.

    Failing: impact serious or critical, or any impact for a rule in ``TEMPLATE_RULES``.
    """
    if Axe is None:
        pytest.skip("axe-playwright-python is not installed (pip install -e '.[test]')")
    page.wait_for_timeout(300)  # let the last widget messages settle
    response = Axe().run(page, options=AXE_OPTIONS).response
    violations = response["violations"]
    version = response.get("testEngine", {}).get("version", "?")
    print(f"\n== axe-core {version} on {label}: {len(violations)} violation(s)")
    for violation in violations:
        print(f"-- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            print(f"   {', '.join(map(str, node['target']))}")
            print(f"      {node['html'][:300]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                print(f"      * {check['message']}")
    return [v for v in violations if v["impact"] in BLOCKING or v["id"] in TEMPLATE_RULES]


def describe(violations: list[dict]) -> str:
    """Return the failing violations in one line each: rule, impact, where."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): "
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"])
        for v in violations)
