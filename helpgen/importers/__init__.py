"""Importers: bring content from another tool into a new helpgen site folder.

`helpgen import mkdocs` (`helpgen.importers.mkdocs`), `gitbook` (`helpgen.importers.gitbook`),
`docusaurus` (`helpgen.importers.docusaurus`) and `zendesk` (`helpgen.importers.zendesk`) each
write a site folder that builds, plus IMPORT-REPORT.md listing what could not be carried over.
`helpgen.importers.common` holds what they share; `helpgen.importers.page_tree` turns a folder
of pages and a nav tree into categories, sections and articles (GitBook, Docusaurus).
"""
