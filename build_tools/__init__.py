"""Build tools for the CVO social-media protocol site: domain modules plus a thin MkDocs plugin."""
