"""Pure analysis on DataFrames and numpy arrays: no store, no widgets."""
