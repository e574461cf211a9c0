"""Catalogue files (JSON, CSV) read, checked and written into Wagtail, and the demo set-up.

`records` reads and checks a file, `importer` writes it, `demo` builds the demo sites from
`fixtures/demo/`. Nothing is re-exported here: Django imports this package before the models
it writes are ready.
"""
