"""Text the facilitator types, pastes or uploads, other than CSV.

Statements one per line, attributes as ``name=value; ...``, and the text of an uploaded file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import model as m
from ..error_codes import PLACE_PASTED
from ..errors import Place, ValidationError
from .csv import check_attribute_names

__all__ = ["uploaded_text", "statements_from_text", "parse_attributes"]


def uploaded_text(files: Sequence[Mapping[str, Any]], field: str = "CSV file"
                  ) -> tuple[str, str]:
    """Return the name and the UTF-8 text of the first uploaded file.

    Parameters
    ----------
    files : sequence of mapping
        The uploaded files, as ``ipywidgets.FileUpload.value`` gives them: each with a
        ``name`` and its ``content`` in bytes.
    field : str
        The field a refusal names.

    Returns
    -------
    name : str
        The file's name (``file`` when it has none).
    text : str
        Its text, without a leading byte order mark.

    Raises
    ------
    ValidationError
        If no file was chosen or the file is not UTF-8 text.

    """
    if not files:
        raise ValidationError(field, "no-file")
    item = files[0]
    content = item.get("content", b"")
    try:
        text = bytes(content).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(field, "not-utf8-upload", item.get("name")) from None
    return str(item.get("name", "file")), text


def statements_from_text(consultation_id: int, pasted: str) -> list[m.Statement]:
    """Return one statement per non-blank line of ``pasted``.

    Parameters
    ----------
    consultation_id : int
        The consultation whose card the statements join.
    pasted : str
        The pasted text.

    Returns
    -------
    list of Statement
        In line order, not stored yet.

    Raises
    ------
    ValidationError
        Naming the line, if a line is not a valid statement or there is none.

    """
    statements = []
    for number, line in enumerate(pasted.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            statements.append(m.Statement(consultation_id, line))
        except ValidationError as exc:
            raise exc.moved(place=Place(PLACE_PASTED, line=number)) from None
    if not statements:
        raise ValidationError(PLACE_PASTED, "nothing-pasted")
    return statements


def parse_attributes(text: str) -> dict[str, str]:
    """Return the attributes written as ``role=nurse; region=North``.

    Parameters
    ----------
    text : str
        The attributes, each as ``name=value``, separated by ``;``; blank parts are skipped.

    Returns
    -------
    dict of str to str
        Name -> value, spaces around each trimmed.

    Raises
    ------
    ValidationError
        If a part has no ``=`` or no name, a name is given twice, or a name is reserved.

    """
    attributes: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValidationError("attributes", "attribute-syntax", part.strip())
        key, value = (s.strip() for s in part.split("=", 1))
        if not key:
            raise ValidationError("attributes", "attribute-unnamed", part.strip())
        if key in attributes:
            raise ValidationError("attributes", "attribute-twice", part.strip(), key=key)
        attributes[key] = value
    check_attribute_names("attributes", attributes)
    return attributes
