"""HTML and script payloads in every text a member or facilitator writes, in every view.

Each payload carries a unique marker (``XSS01``...). Payloads are written through the store
into every free-text field, then every view is built in pure Python (every tab of the
workbench opened) and the ``value`` of every ``ipywidgets.HTML`` in each widget tree is
parsed with :mod:`html.parser`. The app's own markup is allowed; a payload must only ever
be text: no element, attribute, comment or script/style body may carry a marker.

Payloads are designed so that, if one were interpreted as markup, the element it creates
would carry its marker in an attribute (``id=XSS01``, ``onerror=alert('XSS01')``...).
"""

from __future__ import annotations

import html
import re
import types
from html.parser import HTMLParser

import pytest
from helpers import html_values

from cop_widgets import model as m
from cop_widgets.export.api import export_consultation
from cop_widgets.store import Store

pytestmark = pytest.mark.slow


class P(types.SimpleNamespace):
    """A payload: ``marker``, ``text`` and whether it is legitimate Markdown for a
    facilitator (``markdown``: a link or image to an https address)."""


PAYLOADS = [
    P(marker="XSS01", text="<img src=x onerror=alert('XSS01') id=XSS01>"),
    P(marker="XSS02", text="<script id=XSS02>alert('XSS02')</script>"),
    P(marker="XSS03", text="<svg onload=alert('XSS03') id=XSS03>"),
    P(marker="XSS04", text="<svg/onload=alert('XSS04')/id=XSS04>"),
    P(marker="XSS05", text="<iframe srcdoc=\"<script>alert('XSS05')</script>\" id=XSS05>"
                           "</iframe>"),
    P(marker="XSS06", text="<a href=\"javascript:alert('XSS06')\" id=XSS06>click</a>"),
    P(marker="XSS07", text="\" onmouseover=\"alert('XSS07')\" data-x=\"XSS07"),
    P(marker="XSS08", text="\"><img src=x onerror=alert('XSS08') id=XSS08>"),
    P(marker="XSS09", text="'><img src=x onerror=alert('XSS09') id=XSS09>"),
    P(marker="XSS10", text="</textarea><script id=XSS10>alert('XSS10')</script>"),
    P(marker="XSS11", text="<style id=XSS11>*{background:url('//evil.example/XSS11')}"
                           "</style>"),
    P(marker="XSS12", text="<a href=https://evil.example/XSS12 id=XSS12>official form</a>"),
    P(marker="XSS13", text="[click me](javascript:alert('XSS13'))"),
    P(marker="XSS14", text="![pixel](https://evil.example/XSS14.png)", markdown=True),
    P(marker="XSS15", text="<javascript:alert('XSS15')>"),
    P(marker="XSS16", text="&lt;script id=XSS16&gt;alert('XSS16')&lt;/script&gt;"),
    P(marker="XSS17", text="&#60;img src=x onerror=alert('XSS17') id=XSS17&#62;"),
    P(marker="XSS18", text="\uff1cscript\uff1ealert('XSS18')\uff1c/script\uff1e"),
    P(marker="XSS19", text="<scr\u200bipt id=XSS19>alert('XSS19')</scr\u200bipt>"),
    P(marker="XSS20", text="\u202e<img src=x onerror=alert('XSS20') id=XSS20>\ufeff"),
    P(marker="XSS21", text="<svg><animate onbegin=alert('XSS21') attributeName=x id=XSS21>"),
    P(marker="XSS22", text="<math><mtext><table><mglyph><style><img src=x "
                           "onerror=alert('XSS22') id=XSS22>"),
    P(marker="XSS23", text="<!--<img src=x onerror=alert('XSS23')>--> comment XSS23"),
    P(marker="XSS24", text="<details open ontoggle=alert('XSS24') id=XSS24>"),
    P(marker="XSS25", text="<IMG SRC=JaVaScRiPt:alert('XSS25') ID=XSS25>"),
    P(marker="XSS26", text="<a href=\"&#106;avascript:alert('XSS26')\" id=XSS26>x</a>"),
    P(marker="XSS27", text="see [the form][f]\n\n[f]: https://evil.example/XSS27",
      markdown=True),
    P(marker="XSS28", text="<form action=https://evil.example/XSS28><button "
                           "formaction=javascript:alert('XSS28')>go</button></form>"),
    P(marker="XSS29", text="<meta http-equiv=refresh content=\"0;url=https://evil.example/"
                           "XSS29\">"),
    P(marker="XSS30", text="<div style=\"background:url(javascript:alert('XSS30'))\" "
                           "id=XSS30>"),
    P(marker="XSS31", text="<<script id=XSS31>alert('XSS31');//<</script>"),
    P(marker="XSS32", text="{{constructor.constructor('alert(\"XSS32\")')()}} ${XSS32}"),
    P(marker="XSS33", text="<https://evil.example/XSS33>", markdown=True),
    P(marker="XSS34", text="[x](data:text/html;base64,PHNjcmlwdD4=#XSS34 \"t\")"),
    P(marker="XSS35", text="*bold* _it_ `code` # XSS35 | a | b |\n---\n> quote"),
]
for _p in PAYLOADS:
    _p.markdown = getattr(_p, "markdown", False)
#: Payloads that are harmless wherever they land; they are there for the literal checks.
TEXT_ONLY = {"XSS18", "XSS32", "XSS35"}
#: Payloads shaped as http(s) URLs (the only kind ``source_url`` accepts).
URL_PAYLOADS = [
    P(marker="XSSU1", text="https://example.org/\"><img/src=x/onerror=alert('XSSU1')/id=XSSU1>",
      markdown=False),
    P(marker="XSSU2", text="https://example.org/'><svg/onload=alert('XSSU2')/id=XSSU2>",
      markdown=False),
    P(marker="XSSU3", text="https://example.org/\"/onmouseover=\"alert('XSSU3')\"/x=\"XSSU3",
      markdown=False),
]
MARKERS = [p.marker for p in PAYLOADS + URL_PAYLOADS]
BY_MARKER = {p.marker: p for p in PAYLOADS + URL_PAYLOADS}
_MARKER_RE = re.compile("|".join(MARKERS), re.IGNORECASE)

assert len(PAYLOADS) >= 20 and len(set(MARKERS)) == len(MARKERS)


def flat(text: str) -> str:
    """Whitespace collapsed, as in text nodes after rendering."""
    return " ".join(text.split())


def piece(payload: P) -> str:
    """The paragraph of ``payload`` that holds its marker, whitespace collapsed.

    Views show blank-line separated paragraphs apart, so that is what one text node holds.
    """
    return next(flat(part) for part in re.split(r"\n\s*\n", payload.text)
                if payload.marker in part)


def chunks(payloads, limit: int, sep: str = " ") -> list[str]:
    """Pack payload texts into strings of at most ``limit`` characters."""
    out: list[str] = []
    for p in payloads:
        if out and len(out[-1]) + len(sep) + len(p.text) <= limit:
            out[-1] += sep + p.text
        else:
            assert len(p.text) <= limit, p.text
            out.append(p.text)
    return out


# -- the checker --------------------------------------------------------------------------------

#: Elements whose content a browser does not parse as text (a marker there is live code).
#: ``title`` and ``textarea`` are left out: their content is text, entities aside.
RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript",
            "plaintext"}
#: Attributes whose (escaped) value may legitimately hold member text.
TEXT_ATTRIBUTES = {"aria-label", "aria-description", "aria-roledescription", "title", "alt"}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "srcdoc", "data",
                  "background", "poster", "srcset"}


class Inspector(HTMLParser):
    """Parse one HTML value; collect ``problems`` (payload-made markup) and ``texts``.

    ``texts`` are ``(text, context)`` pairs; ``context`` names the nearest enclosing
    element among ``svg``, ``section`` (a rendered Markdown draft) and ``figcaption``.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.texts: list[tuple[str, str]] = []
        self.stack: list[str] = []

    def _flag(self, what: str, detail: str) -> None:
        self.problems.append(f"{what}: {detail[:160]}")

    def _element(self, tag: str, attrs) -> None:
        if _MARKER_RE.search(tag):
            self._flag("element named by a payload", tag)
        for name, value in attrs:
            value = value or ""
            if _MARKER_RE.search(name):
                self._flag(f"<{tag}> attribute named by a payload", name)
            if name.startswith("on"):
                self._flag(f"<{tag}> event handler attribute", f"{name}={value}")
            scheme = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower()
            if name in URL_ATTRIBUTES and scheme.startswith(("javascript:", "vbscript:")):
                self._flag(f"<{tag}> script URL", f"{name}={value}")
            found = _MARKER_RE.search(value)
            if found and name not in TEXT_ATTRIBUTES:
                marker = found.group(0).upper()
                # the brief's source link, and the app's percent-encoded CSV downloads
                legit_url = tag == "a" and name == "href" and (
                    (marker.startswith("XSSU") and value.startswith(("http://", "https://")))
                    or (value.startswith("data:text/csv")
                        and not re.search(r"[<>\"'\s]", value)))
                if not legit_url:
                    self._flag(f"<{tag}> attribute carries a payload", f"{name}={value}")

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        # a dashboard figure's text alternative (widgets.figure_view) reads as a caption
        caption = tag == "p" and "cop-figcaption" in (dict(attrs).get("class") or "").split()
        if caption or tag in ("svg", "section", "figcaption") or tag in RAW_TEXT:
            self.stack.append("figcaption" if caption else tag)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "p" and self.stack and self.stack[-1] == "figcaption":
            tag = "figcaption"
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        raw = next((t for t in reversed(self.stack) if t in RAW_TEXT), None)
        if raw and _MARKER_RE.search(data):
            self._flag(f"payload inside <{raw}>", data)
        context = next((t for t in reversed(self.stack) if t in ("svg", "section",
                                                                  "figcaption")), "")
        self.texts.append((data, context))

    def handle_comment(self, data):
        if _MARKER_RE.search(data):
            self._flag("payload inside a comment", data)

    def handle_decl(self, decl):
        if _MARKER_RE.search(decl):
            self._flag("payload inside a declaration", decl)

    def unknown_decl(self, data):
        if _MARKER_RE.search(data):
            self._flag("payload inside a declaration", data)

    def handle_pi(self, data):
        if _MARKER_RE.search(data):
            self._flag("payload inside a processing instruction", data)


def inspect(value: str) -> Inspector:
    parser = Inspector()
    parser.feed(value)
    parser.close()
    return parser


def _markdown_without_link_check(text: str) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda _url: True
    return md.render(text)


#: Ways a text could be mishandled; every payload must be caught in at least one of them.
MISHANDLINGS = {
    "inserted raw": lambda text: f"<div>{text}</div>",
    "raw in a double-quoted attribute": lambda text: f'<a title="{text}">x</a>',
    "raw in a single-quoted attribute": lambda text: f"<a title='{text}'>x</a>",
    "escaped, then unescaped twice": lambda text: f"<p>{html.unescape(text)}</p>",
    "Markdown with raw HTML, no link check": _markdown_without_link_check,
}


@pytest.mark.parametrize("payload", [p for p in PAYLOADS + URL_PAYLOADS
                                     if p.marker not in TEXT_ONLY], ids=lambda p: p.marker)
def test_the_inspector_catches_each_payload_when_mishandled(payload):
    """The checks below are not vacuous: mishandled, every payload is flagged."""
    caught = {how for how, mishandle in MISHANDLINGS.items()
              if inspect(mishandle(payload.text)).problems}
    assert caught, payload.text
    # and handled properly, none is
    assert not inspect(f"<div>{html.escape(payload.text)}</div>").problems
    assert not inspect(f'<a title="{html.escape(payload.text)}">x</a>').problems


# -- the world: every text field holds payloads ----------------------------------------------------


def build_world(store: Store) -> types.SimpleNamespace:
    """A non-anonymous request for opinion whose every free text is made of payloads."""
    n = len(PAYLOADS)
    dev = store.add_development(m.Development(
        "request_for_opinion", chunks(PAYLOADS, 200)[0],
        summary="\n\n".join(p.text for p in PAYLOADS), source_url=URL_PAYLOADS[0].text,
        requester=chunks(PAYLOADS, 200)[0], requester_deadline="2030-01-31",
        questions=chunks(PAYLOADS, 1000, "\n")[:20] + [p.text for p in PAYLOADS[:3]]))
    c = store.add_consultation(m.Consultation(dev.id, chunks(PAYLOADS, 200)[0],
                                              anonymous=False))
    statements = store.add_statements([m.Statement(c.id, text)
                                       for text in chunks(PAYLOADS, 500)])
    short = [p for p in PAYLOADS if len(p.text) <= 60]  # attribute names: 60 characters
    members = store.add_members([
        m.Member(c.id, p.text, attributes={
            "region": PAYLOADS[i % 4].text, "role": PAYLOADS[4 + i % 5].text,
            "note": PAYLOADS[(i + 7) % n].text,
            short[i % len(short)].text: PAYLOADS[(i + 11) % n].text})
        for i, p in enumerate(PAYLOADS)])
    tokens = [token for _inv, token in store.add_invitations([mb.id for mb in members])]
    store.open_consultation(c.id)
    # cards: divided stances, every rationale, concern and impact a payload; 4 drafts only
    for i, token in enumerate(tokens):
        responses = [{"statement_id": s.id, "stance": (1, 2, 4, 5, None)[(i + j) % 5],
                      "rationale": PAYLOADS[(i + j) % n].text}
                     for j, s in enumerate(statements)]
        store.save_card(c.id, token, responses, concerns=PAYLOADS[i].text,
                        impact=PAYLOADS[(i + 3) % n].text,
                        status="draft" if i >= n - 4 else "submitted")
    proposals = [store.propose_statement(c.id, tokens[i], p.text)
                 for i, p in enumerate(PAYLOADS)]
    store.update_statement(proposals[0].id, moderation="accepted")
    store.update_statement(proposals[1].id, moderation="rejected")
    # version 1: typed by the facilitator (Markdown is theirs: payloads that are legitimate
    # Markdown links are left out); answered with payload reasons
    typed = [p for p in PAYLOADS if not p.markdown]
    draft = store.add_draft(c.id, {
        "development": "\n\n".join(p.text for p in typed),
        "consensus": "\n".join(f"- {p.text}" for p in typed),
        "divergent": "\n".join(f"> {p.text}" for p in typed),
        chunks(typed, 200)[0]: "A section named by the facilitator.",
    }, share=True)
    for i, token in enumerate(tokens):  # every member blocks: every reason is shown
        store.add_endorsement(c.id, token, draft.id, "block", PAYLOADS[i].text)
    store.add_endorsement(c.id, tokens[-1], draft.id, "can_live_with", PAYLOADS[0].text)
    return types.SimpleNamespace(development=dev, consultation=c, statements=statements,
                                 members=members, tokens=tokens, draft=draft)


def render_all(store: Store, world, tmp_path) -> list[tuple[str, str]]:
    """Build every view; return ``(where, html)`` for every HTML value in every tree."""
    from cop_widgets.widgets.dashboard import DivergenceDashboard
    from cop_widgets.widgets.drafting import DraftEditor
    from cop_widgets.widgets.endorse import EndorsementPage
    from cop_widgets.widgets.facilitator import TAB_TITLES, FacilitatorWorkbench
    from cop_widgets.widgets.member import MemberPage
    from cop_widgets.widgets.results import ResultsView

    cid, token = world.consultation.id, world.tokens[2]  # tokens[0] gets a new link below
    out: list[tuple[str, str]] = []

    def grab(where: str, widget) -> None:
        out.extend((where, value) for value in html_values(widget))

    grab("EndorsementPage v1 (typed by the facilitator)",
         EndorsementPage(store, cid, world.tokens[1]))
    bench = FacilitatorWorkbench(store)
    assert bench.settings.consultation_id == cid
    assert len(bench.tabs.children) >= len(TAB_TITLES)
    for index in range(len(bench.tabs.children)):
        bench.tabs.selected_index = index
        grab(f"FacilitatorWorkbench tab {bench.tabs.titles[index]}", bench)
    bench.participation.reminder_button.click()
    bench.statements.pending_rows[0].accept_button.click()
    bench.roster.member_picker.value = world.members[0].id
    bench.roster.new_link_button.click()
    bench.roster.name.value = PAYLOADS[7].text  # an error message quoting member text
    bench.roster.email.value = PAYLOADS[8].text
    bench.roster.add_button.click()
    grab("FacilitatorWorkbench after actions", bench)
    drafting = bench.open_drafting()
    drafting.propose()  # from the analysis: statements, reasons, block reasons
    drafting.save()
    grab("DraftEditor after propose and save", drafting)
    editor = DraftEditor(store, cid, export_dir=tmp_path)
    grab("DraftEditor", editor)
    for attribute in ("region", "role", sorted(world.members[0].attributes)[0]):
        grab(f"DivergenceDashboard by {attribute!r}",
             DivergenceDashboard(store, cid, attribute=attribute))
    page = MemberPage(store, cid, token)
    grab("MemberPage", page)
    page.proposal.value = PAYLOADS[2].text
    page.propose.click()
    page.show_draft()
    grab("MemberPage showing the draft (v2, proposed from member text)", page)
    grab("EndorsementPage v2", EndorsementPage(store, cid, world.tokens[1]))
    grab("ResultsView (member who submitted)", ResultsView(store, cid, token))
    # the short single-valued fields hold one chunk at a time: show each in the brief
    for k, title in enumerate(chunks(PAYLOADS, 200)):
        store.update_development(world.development.id, title=title, requester=title,
                                 source_url=URL_PAYLOADS[k % len(URL_PAYLOADS)].text)
        store.update_consultation(cid, title=title)
        grab("MemberPage brief", MemberPage(store, cid, token))
        grab("ResultsView brief", ResultsView(store, cid, token))
        grab("EndorsementPage title", EndorsementPage(store, cid, world.tokens[1]))
    store.close_consultation(cid)
    grab("ResultsView (public, closed)", ResultsView(store, cid))
    grab("MemberPage (closed)", MemberPage(store, cid, world.tokens[-1]))
    return out


@pytest.fixture(scope="module")
def rendered_payloads(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("payloads")
    store = Store(f"sqlite:///{tmp}/payloads.db")
    try:
        world = build_world(store)
        yield types.SimpleNamespace(store=store, world=world,
                                    views=render_all(store, world, tmp), tmp=tmp)
    finally:
        store.close()


# -- the checks ---------------------------------------------------------------------------------


def test_payloads_never_become_markup(rendered_payloads):
    problems = []
    for where, value in rendered_payloads.views:
        for problem in inspect(value).problems:
            problems.append(f"{where}: {problem}")
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_every_payload_was_rendered_as_text(rendered_payloads):
    """Not vacuous: each payload reached a view, shown as text."""
    seen = {found.group(0).upper() for _where, value in rendered_payloads.views
            for text, _context in inspect(value).texts for found in _MARKER_RE.finditer(text)}
    assert seen >= {p.marker for p in PAYLOADS}, sorted(set(MARKERS) - seen)


def test_plain_text_views_show_payloads_literally(rendered_payloads):
    """Outside Markdown and charts, a payload shows exactly as typed (escaped once only).

    ``&lt;script&gt;`` typed by a member must read ``&lt;script&gt;``, not ``<script>``.
    """
    wrong = []
    literal_seen = set()
    for where, value in rendered_payloads.views:
        for text, context in inspect(value).texts:
            if context or not _MARKER_RE.search(text):
                continue
            shown = flat(text)
            for found in _MARKER_RE.finditer(shown):
                payload = BY_MARKER[found.group(0).upper()]
                if piece(payload) in shown:
                    literal_seen.add(payload.marker)
                elif "must" not in shown and "(got " not in shown:  # error texts are cut
                    wrong.append(f"{where}: {payload.marker} shown as {shown[:200]!r}")
    assert not wrong, "\n".join(dict.fromkeys(wrong))
    assert literal_seen >= {p.marker for p in PAYLOADS}


def test_member_text_quoted_in_the_proposed_draft_renders_literally(rendered_payloads):
    """Quoted member text is Markdown-escaped: entities such as ``&lt;`` stay as typed."""
    from cop_widgets.widgets.endorse import draft_html

    # proposed from the analysis and saved (privately) by the drafting desk as version 2
    draft = rendered_payloads.store.get_draft(rendered_payloads.world.consultation.id, 2)
    text = flat(" ".join(t for t, _c in inspect(draft_html(draft)).texts))
    missing = [p.marker for p in PAYLOADS
               if p.marker in text and flat(p.text) not in text]
    assert not missing, missing
    assert sum(p.marker in text for p in PAYLOADS) >= len(PAYLOADS) // 2, text[:500]


# -- exports -------------------------------------------------------------------------------------


def _export(rendered, fmt):
    out = rendered.tmp / f"export.{fmt}"
    files = export_consultation(rendered.store, rendered.world.consultation.id, fmt, out)
    return [str(f) for f in files]


def _literal_problems(text: str) -> tuple[list[str], set[str]]:
    """Markers shown without their whole payload, and markers shown with it."""
    wrong, whole = [], set()
    shown = flat(text)
    for found in _MARKER_RE.finditer(shown):
        payload = BY_MARKER[found.group(0).upper()]
        if piece(payload) in shown:
            whole.add(payload.marker)
        else:
            around = shown[max(0, found.start() - 80):found.end() + 40]
            wrong.append(f"{payload.marker}: {around!r}")
    return wrong, whole


def test_html_export_has_no_payload_markup(rendered_payloads):
    files = _export(rendered_payloads, "html")
    with open(files[0], encoding="utf-8") as fh:
        document = fh.read()
    parsed = inspect(document)
    assert not parsed.problems, "\n".join(parsed.problems)
    wrong, whole = _literal_problems(" ".join(t for t, c in parsed.texts if c != "svg"))
    assert not wrong, "\n".join(wrong)
    assert whole, "no payload reached the HTML export"


def test_docx_export_shows_payloads_literally(rendered_payloads):
    import docx

    files = _export(rendered_payloads, "docx")
    document = docx.Document(files[0])
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows
              for cell in row.cells]
    wrong, whole = _literal_problems("\n".join(parts))
    assert not wrong, "\n".join(wrong)
    assert whole, "no payload reached the Word export"


def test_markdown_export_escapes_payloads(rendered_payloads):
    """Rendered by a permissive CommonMark renderer (raw HTML allowed), no payload is markup
    and every payload reads as typed."""
    from markdown_it import MarkdownIt

    files = _export(rendered_payloads, "md")
    with open(files[0], encoding="utf-8") as fh:
        source = fh.read()
    parsed = inspect(MarkdownIt("commonmark", {"html": True}).render(source))
    assert not parsed.problems, "\n".join(parsed.problems)
    wrong, whole = _literal_problems(" ".join(t for t, _c in parsed.texts))
    assert not wrong, "\n".join(wrong)
    assert whole, "no payload reached the Markdown export"
