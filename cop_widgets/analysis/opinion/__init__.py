"""Opinion groups the Pol.is way: vote matrix, sparse PCA, base clusters, k-means, repness.

Pure functions on DataFrames and numpy arrays (no store, no widgets). The steps follow
Pol.is's math (``polismath.math.conversation``, ``pca``, ``clusters``, ``repness``):

1. **Vote matrix.** Members x statements; agree +1, disagree -1, pass 0, missing NaN.
   Ordinal scales map linearly onto [-1, 1]. Statements moderated out stay as columns of
   zeros for everyone, as Pol.is's ``zero-out-columns`` does: they move nobody but still count
   in each member's number of answers.
2. **PCA to 2-D** of the column-mean-imputed, centred matrix. Imputation with the column mean
   followed by centring makes every missing entry exactly 0, so the centred matrix keeps the
   sparsity of the votes and the covariance is one sparse product.
3. **Sparsity-aware projection**: a member's coordinates are scaled by
   ``sqrt(n_statements / n_answered)`` so that members who answered little are not piled up
   in the centre.
4. **Who is clustered**: members who answered at least ``min(min_votes, n_statements)``
   statements; if fewer than 15 qualify, the most active members are added up to 15.
5. **Base clusters**: k-means with k = 100 on the clustered members, seeded with the first
   distinct positions in the order Pol.is's cold start reads the votes: by the first
   statement each member answered (statements in creation order, i.e. ascending id), then
   by when they joined.
6. **Groups**: weighted k-means of the base-cluster centres for k in 2..5 (at most
   ``2 + n_base // 12``), seeded the same way, at most 20 iterations (Pol.is's effective
   setting); k is chosen by the silhouette of the base-cluster centres. A member's group is
   the group of their base cluster.

When a member joined is their earliest ``saved_at`` (or the ``joined`` key given to
``vote_matrix``: Pol.is's participant ids for an imported conversation, see
``services.vote_matrix.polis_join_order``); ties (and members without a time) are ordered
by the content of their answers, never by their ids, so relabelling members changes
nothing.

Modules: :mod:`.matrix` (step 1), :mod:`.groups` (steps 2-6) and :mod:`.repness` (what sets
each group apart, and consensus). Results are numbers and codes; the sentences are written
by :mod:`cop_widgets.words.opinion`.
"""

from __future__ import annotations

from .groups import GROUP_NOTES, OpinionGroups, opinion_groups
from .matrix import VoteMatrix, vote_matrix
from .repness import (
    Z_90,
    consensus_statements,
    group_informed_consensus,
    representative_statements,
)

__all__ = [
    "VoteMatrix",
    "vote_matrix",
    "GROUP_NOTES",
    "OpinionGroups",
    "opinion_groups",
    "representative_statements",
    "group_informed_consensus",
    "consensus_statements",
    "Z_90",
]
