"""helpgen: compile a folder of Markdown articles into a static help center."""

__version__ = "0.1.0"
