"""The search index and its tokenizer (the browser's twin is client/tokenizer.js)."""
