"""Importers: bring content from another tool into a new helpgen site folder.

`helpgen import mkdocs` (`helpgen.importers.mkdocs`) and `helpgen import zendesk`
(`helpgen.importers.zendesk`) each write a site folder that builds, plus IMPORT-REPORT.md listing
what could not be carried over. `helpgen.importers.common` holds what they share.
"""
