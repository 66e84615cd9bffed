"""Exports: one module per format, each reading the database (through the JSON export and the
report built from it, `report.py`), never a view. Every module offers
`render(session_id, group_id=None) -> bytes`; FORMATS maps a format's name to its module,
media type and file extension (the CLI `export` command and the organizer's downloads use it).
"""
from importlib import import_module

FORMATS = {
    "json": ("json_export", "application/json", "json"),
    "md": ("markdown", "text/markdown; charset=utf-8", "md"),
    "docx": ("docx_export",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pptx": ("pptx_export",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "xlsx": ("xlsx_export", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "xlsx"),
}


def render(fmt, session_id, group_id=None):
    """The export of a session (or one group) in a format: (bytes, media type, extension).

    Raises KeyError for an unknown format, NotFound for an unknown session or group.
    """
    module, mimetype, extension = FORMATS[fmt]
    body = import_module(f".{module}", __name__).render(session_id, group_id)
    return body, mimetype, extension


def filename(session_id, extension, group_id=None):
    """A download's file name: session-12.md, session-12-group-5.docx."""
    return f"session-{session_id}{f'-group-{group_id}' if group_id else ''}.{extension}"
