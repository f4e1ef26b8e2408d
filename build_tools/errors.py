"""The one error type the domain modules raise for bad source files."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A source file is wrong; the message names the file, the field (and line) and the fix."""

    def __init__(self, file: Path | str, field: str | None, message: str, line: int | None = None):
        self.file = str(file)
        self.field = field
        self.line = line
        self.detail = message
        where = self.file + (f":{line}" if line else "")
        what = f"veld '{field}': " if field else ""
        super().__init__(f"{where}: {what}{message}")
