"""Pure analysis on DataFrames and numpy arrays: no store, no widgets, no sentences.

Results are numbers and codes (a class, a reason for having no opinion groups, what a
weighting did); :mod:`cop_widgets.words` writes them in the page's language.

Modules: :mod:`.ordinal` (measures of one distribution), :mod:`.summary` (per statement and
per group of a member attribute), :mod:`.representation` (who answered, by group),
:mod:`.weighting` (post-stratification), :mod:`.opinion` (Pol.is's opinion groups) and
:mod:`.rounds` (change between Delphi rounds). Policies (the smallest group shown, when a
group is under-represented) are the model's: :mod:`cop_widgets.model.policies`.
"""
