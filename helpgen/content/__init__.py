"""Content: the site folder read into sources, split into brands, and built into the frozen
content model (URLs, links, Markdown, the HTML allow-list)."""
