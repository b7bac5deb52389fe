"""The discussion phase's analysis: bridging reasons, what each member reads, opinion change.

Pure Python over :mod:`cop_widgets.model.discussion` records (no pandas, no numpy: the
member page's light kernel imports this package). Numbers and codes only.

Modules: :mod:`.bridging` (reasons ranked by the group-informed consensus of their
endorsements across groups), :mod:`.selection` (the reasons a member is shown under each
statement, side by side) and :mod:`.change` (who moved after reading, which way, and which
reasons they credited).
"""

from __future__ import annotations

from .bridging import ReasonStanding, bridging_by_key, rank_reasons
from .change import ChangeRow, direction, lean, net_movement, opinion_change
from .selection import select_reasons

__all__ = ["ReasonStanding", "rank_reasons", "bridging_by_key", "select_reasons",
           "ChangeRow", "opinion_change", "net_movement", "lean", "direction"]
