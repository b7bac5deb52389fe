"""ipywidgets for facilitators (JupyterLab) and members (Voila).

Widgets hold a :class:`~cop_widgets.store.Store` and call its verbs; they never compute
analysis themselves and never decide who a member is.
"""
