"""Services: a consultation loaded once and analysed once, for every view.

The CLI, the workbench's tabs, the drafting desk, the results page and the exports read
the same :class:`~cop_widgets.services.analysis.ConsultationAnalysis`, so no two views can
disagree.
"""
