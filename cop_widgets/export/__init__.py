"""Exports of a consultation's joint response: Markdown, self-contained HTML and Word.

:func:`cop_widgets.export.report.build_report` gathers everything an export needs from the
store and the analysis into one :class:`~cop_widgets.export.report.Report`;
:mod:`cop_widgets.export.document` lays it out as format-neutral blocks; ``markdown``,
``html`` and ``docx`` render those blocks; :func:`cop_widgets.export.api.export_consultation`
writes the files. Every export escapes member text, never names a member, makes no external
request, and ends with the Methodology section.
"""
