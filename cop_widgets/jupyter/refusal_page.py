"""The short page the gate answers with, in the visitor's language: no script, no kernel."""

from __future__ import annotations

from html import escape

from ..i18n import translator
from ..words.links import GATE_WORDS, link_refusal_reason
from .gate import Refusal

__all__ = ["refusal_html"]

_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "color:#1f2933;background:#f5f7fa}"
    "main{max-width:36rem;margin:12vh auto 0;padding:1.5rem;background:#fff;"
    "border-left:6px solid #b42318;border-radius:4px;overflow-wrap:anywhere}"
    "main.busy{border-left-color:#b54708}"
    "h1{font-size:1.35rem;margin:0 0 .75rem}p{line-height:1.5;margin:.5rem 0}"
)


def refusal_html(refusal: Refusal) -> str:
    """Return the whole HTML page explaining ``refusal`` in its language.

    Every sentence comes from the catalogue by the refusal's code; nothing from the request
    is written into the page.
    """
    _ = translator(refusal.language)
    title, advice = GATE_WORDS[refusal.code]
    sentences = [_(title)]
    if refusal.reason is not None:
        sentences.append(_(link_refusal_reason(refusal.reason)))
    sentences.append(_(advice))
    heading, *rest = (escape(s) for s in sentences)
    body = "".join(f"<p>{s}</p>" for s in rest)
    kind = "busy" if refusal.status in (429, 503) else "refused"
    return (
        f'<!DOCTYPE html><html lang="{escape(refusal.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        '<link rel="icon" href="data:,">'  # no favicon request: one request, one answer
        f"<title>{heading}</title><style>{_STYLE}</style></head>"
        f'<body><main class="{kind}"><div role="alert"><h1>{heading}</h1>{body}</div>'
        "</main>"
        "</body></html>"
    )
