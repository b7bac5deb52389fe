"""The gate in front of every page: check the link's credential before a kernel starts.

Voila starts a kernel (60-120 MB) for every page it renders, and the pages check who the
visitor is only inside that kernel. Without a gate, anyone could start kernels with made-up
links until the server's memory ran out. :class:`Gate` decides, in the server process and
from the database alone, whether a request may have a kernel at all:

=====================  =============================================================
page                   admitted when
=====================  =============================================================
``member.ipynb``       ``t`` is a live invitation for consultation ``c``
``endorse.ipynb``      the same
``results.ipynb``      the results of ``c`` are public (:func:`~cop_widgets.model.results_visible`
                       for a visitor); or ``t`` is a live invitation for ``c``
``facilitator.ipynb``  ``k`` is the facilitator key (its SHA-256 compared in constant time)
``analysis.ipynb``     the same
anything else          never (404)
=====================  =============================================================

A refused request gets a 403 (404 for an unknown page) and costs a database lookup, no
kernel. An admitted request past the cap of live kernels gets a 503 with ``Retry-After``,
and a member's link that already holds ``max_pages_per_link`` live pages (kernels) a 429
with ``Retry-After``: one valid link reloaded over and over cannot fill the server. The pages
keep their own checks inside the kernel: the gate is the first line, not the only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .. import model as m
from ..errors import InvalidToken, NotFound
from ..i18n import LANGUAGES
from .keys import key_matches
from .pages import consultation_id_of, language_of

__all__ = ["Gate", "Refusal", "PAGES", "RETRY_AFTER_SECONDS", "link_of"]

#: What each served page needs: ``token`` (a member's link), ``results`` (a member's link,
#: or results that are public) or ``key`` (the facilitator key).
PAGES = {
    "member.ipynb": "token",
    "endorse.ipynb": "token",
    "results.ipynb": "results",
    "facilitator.ipynb": "key",
    "analysis.ipynb": "key",
}
#: Seconds a visitor turned away by the kernel cap is asked to wait.
RETRY_AFTER_SECONDS = 30


@dataclass(frozen=True)
class Refusal:
    """Why the gate turns a request away.

    Attributes
    ----------
    status : int
        The HTTP status: 403, 404, 429 or 503.
    code : str
        A key of :data:`cop_widgets.words.links.GATE_WORDS`.
    language : str
        The language of the page that explains it.
    reason : str or None
        For a refused member link, the refusal's code (``token-unknown``...), which adds
        the sentence saying why.
    """

    status: int
    code: str
    language: str
    reason: str | None = None


class Gate:
    """Decide, before a kernel starts, whether a page request is admitted.

    Parameters
    ----------
    store : Store
        Where invitations and consultations are looked up (read only).
    facilitator_key_hash : str, optional
        :func:`key_hash` of the facilitator key; without it, no facilitator page opens
        under the server.
    max_kernels : int
        Live kernels past which admitted requests are asked to come back (0: no cap).
    max_pages_per_link : int
        Live pages one member's link may hold at once (0: no limit); past it, a request with
        that link is asked to come back.
    """

    def __init__(self, store, facilitator_key_hash: str | None, max_kernels: int = 0,
                 max_pages_per_link: int = 0):
        self.store = store
        self.facilitator_key_hash = facilitator_key_hash
        self.max_kernels = max_kernels
        self.max_pages_per_link = max_pages_per_link

    def check(self, page: str, params: dict[str, str], live_kernels: int = 0,
              accept_language: str | None = None, link_pages: int = 0) -> Refusal | None:
        """Return why the request for ``page`` is refused, or ``None`` to admit it.

        Parameters
        ----------
        page : str
            The path after ``/voila/render/``.
        params : dict
            The query parameters (first value of each).
        live_kernels : int
            Kernels running now (preheated ones included), for the cap.
        accept_language : str, optional
            The request's ``Accept-Language`` header, for the refusal's language.
        link_pages : int
            Live pages the request's member link (:func:`link_of`) holds now.
        """
        need = PAGES.get(page)
        consultation = self._consultation(params)
        language = (language_of(params)
                    or (consultation.language if consultation else None)
                    or _accepted_language(accept_language))
        if need is None:
            return Refusal(404, "no-such-page", language)
        if need == "key":
            if not key_matches(params.get("k"), self.facilitator_key_hash):
                return Refusal(403, "facilitator-key", language)
        elif need == "results":
            public = consultation is not None and m.results_visible(consultation,
                                                                    submitted=False)
            if not public and self._token_refusal(consultation, params.get("t")) is not None:
                return Refusal(403, "results-not-public", language)
        else:
            reason = self._token_refusal(consultation, params.get("t"))
            if reason is not None:
                return Refusal(403, "member-link", language, reason)
            if self.max_pages_per_link and link_pages >= self.max_pages_per_link:
                return Refusal(429, "link-pages", language)
        if self.max_kernels and live_kernels >= self.max_kernels:
            return Refusal(503, "server-busy", language)
        return None

    def _consultation(self, params: dict[str, str]) -> m.Consultation | None:
        consultation_id = consultation_id_of(params)
        if consultation_id is None:
            return None
        try:
            return self.store.get_consultation(consultation_id)
        except NotFound:
            return None

    def _token_refusal(self, consultation: m.Consultation | None,
                       token: str | None) -> str | None:
        """Return the code why ``token`` opens nothing in ``consultation``, or ``None``."""
        if consultation is None:
            return "not-found"
        try:
            self.store.get_member_for_token(consultation.id, token)
        except InvalidToken as exc:
            return exc.code
        return None


def link_of(page: str, params: dict[str, str]) -> str | None:
    """Return the member link a page request holds a page under, or ``None`` for none.

    A member page and an endorsement page opened with the same invitation count together;
    the link is named by its token's SHA-256, so that no token is kept in the server.
    """
    token = params.get("t")
    if PAGES.get(page) != "token" or not token:
        return None
    return hashlib.sha256(token.encode()).hexdigest()


def _accepted_language(header: str | None) -> str:
    """Return the first of our languages the ``Accept-Language`` header names, else English."""
    for part in (header or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
