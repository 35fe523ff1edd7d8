"""Output: the content model through the theme into files (pages, assets, SEO files, the search
index), and writing them into the output folder."""
