"""Issue 12, item 2: the export follows the joint response's steps, on both backends.

A version saved privately is exported as a draft not yet put to the members; the version put
to them is the body with its answers; once finalised, no heading or status calls it a draft,
the date of finalising is given, and every step (saved, put to the members, finalised) is
recorded with its date in the Methodology.
"""

from __future__ import annotations

from test_export import View  # the exported document read back, the way every format reads

from cop_widgets.export.api import export_consultation
from cop_widgets.export.blocks import Heading, Paragraph, Table
from cop_widgets.export.document import build_document
from cop_widgets.export.report import build_report
from cop_widgets.export.values import fmt_moment

FORMATS = ("md", "html", "docx")


def headings(report):
    return [b.text for b in build_document(report) if isinstance(b, Heading)]


def steps_rows(report):
    tables = [b for b in build_document(report)
              if isinstance(b, Table) and b.caption == "Steps of the joint response"]
    assert len(tables) == 1
    return [list(row) for row in tables[0].rows]


def status(report):
    """The opening's status line (a note paragraph before the first section)."""
    notes = [b for b in build_document(report) if isinstance(b, Paragraph) and b.note]
    return " ".join(span.text for span in notes[0].spans)


def test_a_private_version_is_exported_as_a_draft_not_put_to_the_members(store, seeded, clock):
    cid = seeded.consultation.id
    draft = store.add_draft(cid, {"consensus": "Private text."})
    report = build_report(store, cid)
    assert report.section("consensus").markdown == "Private text."
    assert not report.final and report.endorsements is None
    assert status(report).startswith(
        f"Draft version 1, saved {fmt_moment(draft.created_at)}; not yet put to the members.")
    assert steps_rows(report) == [["1", "saved privately by the facilitator",
                                   fmt_moment(draft.created_at)]]


def test_the_members_version_is_the_body_and_every_step_is_dated(store, seeded, clock):
    cid = seeded.consultation.id
    a, b, _c = (seeded.tokens[member.id] for member in seeded.members)
    first = store.add_draft(cid, {"consensus": "What the members read."})
    clock.advance(3600)
    shared = store.share_draft(cid, 1)
    store.add_endorsement(cid, a, shared.id, "endorse")
    clock.advance(600)
    later = store.add_draft(cid, {"consensus": "A later version, private."})
    report = build_report(store, cid)
    assert report.section("consensus").markdown == "What the members read."
    assert report.draft_version == 1 and report.endorsements.answered == 1
    assert status(report).startswith(
        f"Draft version 1, put to the members {fmt_moment(shared.shared_at)}.")
    assert steps_rows(report) == [
        ["1", "saved privately by the facilitator", fmt_moment(first.created_at)],
        ["1", "put to the members: endorsement opened", fmt_moment(shared.shared_at)],
        ["2", "saved privately by the facilitator", fmt_moment(later.created_at)],
    ]
    clock.advance(600)
    store.share_draft(cid, 2)
    store.add_endorsement(cid, b, later.id, "can_live_with")
    report = build_report(store, cid)
    assert report.section("consensus").markdown == "A later version, private."
    assert report.endorsements.draft_version == 2 and report.endorsements.answered == 1
    assert "Answers to this draft" in headings(report)


def test_a_finalised_response_is_no_draft_and_records_its_dates(store, seeded, clock, tmp_path):
    cid = seeded.consultation.id
    a, b, _c = (seeded.tokens[member.id] for member in seeded.members)
    saved = store.add_draft(cid, {"consensus": "We agree.", "divergent": "Some do not."})
    clock.advance(3600)
    shared = store.share_draft(cid, 1)
    store.add_endorsement(cid, a, shared.id, "endorse")
    store.add_endorsement(cid, b, shared.id, "block", "Too soon")
    clock.advance(86400)
    final = store.finalise_draft(cid)
    report = build_report(store, cid)
    assert report.final and report.draft_finalised_at == final.finalised_at
    when = fmt_moment(final.finalised_at)
    assert status(report).startswith(f"The final joint response (version 1), finalised {when}.")
    assert not [h for h in headings(report) if "draft" in h.lower()], headings(report)
    assert "Answers to the final response" in headings(report)
    assert steps_rows(report) == [
        ["1", "saved privately by the facilitator", fmt_moment(saved.created_at)],
        ["1", "put to the members: endorsement opened", fmt_moment(shared.shared_at)],
        ["1", "finalised: endorsement closed, the answers are final", when],
    ]
    for fmt in FORMATS:
        view = View(export_consultation(store, cid, fmt, tmp_path / f"final.{fmt}")[0])
        titles = [text for kind, text, _ in view.blocks if kind[:1] == "h"]
        assert not [t for t in titles if "draft" in t.lower()], (fmt, titles)
        assert "Draft" not in view.opening, (fmt, view.opening)
        assert f"finalised {when}" in view.opening, fmt
        steps = view.tables("Version", "Step", "Date")
        assert steps and steps[0][1:] == steps_rows(report), (fmt, steps)
        answers = view.section("Answers to the final response")
        assert "answered version 1 before it was finalised" in answers, fmt


def test_a_response_never_saved_says_so_in_its_steps(store, seeded):
    report = build_report(store, seeded.consultation.id)
    assert report.proposed and report.steps == ()
    blocks = build_document(report)
    texts = [" ".join(s.text for s in b.spans) for b in blocks if isinstance(b, Paragraph)]
    assert any("No version of the joint response has been saved" in t for t in texts)
