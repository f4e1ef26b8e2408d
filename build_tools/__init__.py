"""Build tools that publish a school board's protocol: the pipeline (python -m build_tools) and its domain modules."""
