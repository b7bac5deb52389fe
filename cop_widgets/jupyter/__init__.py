"""What Jupyter and Voila run: the workbooks' entry points and the server.

- :mod:`cop_widgets.jupyter.pages`: the function each workbook's one cell calls; it reads
  the link on the server side and builds the page.
- :mod:`cop_widgets.jupyter.serve`: ``cop-widgets serve``, Voila on the workbooks.
- ``voila/templates/cop``: the Voila template the pages are served with (no CDN); this
  folder is put on ``JUPYTER_PATH`` (:data:`cop_widgets.jupyter.serve.JUPYTER_DATA`).
"""
