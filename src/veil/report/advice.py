"""What to do about a finding, in the words of the program the file was made with: the text report prints it under
each finding so that the person who made the file can fix it without asking what "very-hidden-sheet" means."""

from __future__ import annotations

import re

from veil.findings import Finding, Kind

# Where the content hides decides the remedy, whatever was found in it.
_BY_VISIBILITY = {
    "very-hidden-sheet": "delete the very hidden sheet{sheet} (it cannot be unhidden from Excel's menus, but anyone "
                         "can read it)",
    "hidden-sheet": "delete the hidden sheet{sheet}: hiding a sheet does not remove it",
    "hidden-row": "delete the hidden rows{where}: hiding rows does not remove them",
    "hidden-column": "delete the hidden column{where}: hiding a column does not remove it",
    "filtered-row": "delete the rows the filter hides{where}, then clear the filter",
    "outside-used-area": "delete the cells far outside the table{where}",
    "white-text": "delete the text formatted to be invisible{where}",
    "comment": "delete the comments and notes",
    "defined-name": "delete the defined name (Formulas › Name Manager)",
    "pivot-cache": "delete the pivot table and its cache, or build it from aggregate data only",
    "external-link-cache": "break the external links (Data › Edit Links › Break Link)",
    "chart-cache": "delete the chart's data or build the chart from aggregate figures",
    "data-validation": "remove the data-validation list (Data › Data Validation)",
    "header-footer": "clear the headers and footers",
    "metadata": "clear the document properties (File › Info › Inspect Document)",
    "data-model": "remove the data model (Power Pivot) from the workbook",
    "query": "remove the queries and connections (Data › Queries & Connections)",
    "revision-log": "stop sharing the workbook's change history and save a fresh copy",
    "formula-cache": "replace the formulas with their values and delete the source data",
    "thumbnail": "save without a thumbnail preview",
    "unknown-part": "rebuild the file from its visible content: it carries a part Office does not show",
    "tracked-change": "accept or reject every tracked change, then save",
    "hidden-text": "delete the hidden text",
    "under-redaction": "apply the redaction: the text is still under the box. Use a redaction tool that removes it",
    "invisible-text": "delete the invisible text layer",
    "off-page": "delete the text placed outside the page",
    "hidden-layer": "delete the hidden layer",
    "annotation": "delete the annotations (or flatten them after removing what they say)",
    "form-field": "clear the form fields",
    "earlier-revision": "save a fresh copy (for a PDF: print or export anew): earlier revisions are still in the file",
    "speaker-notes": "delete the speaker notes",
    "hidden-slide": "delete the hidden slides",
    "markup-hidden": "delete the hidden markup",
    "markup-comment": "delete the comments in the markup",
    "script-data": "delete the data kept in the page's scripts",
    "alt-text": "edit the pictures' alternative text",
    "email-header": "remove the names from the message's headers",
    "attachment": "remove the attachment, or check it and fix it on its own",
    "embedded": "remove the embedded file, or check it and fix it on its own",
    "archive-member": "remove the file from the archive, or fix it on its own",
}

_BY_KIND: dict[str, str] = {
    Kind.RECORD_LEVEL: "publish aggregate figures instead of rows about people: remove the names, dates of birth and "
                       "identifiers",
    Kind.MICRODATA: "have the rows about people reviewed for disclosure risk, or publish aggregates",
    Kind.SMALL_CELLS: "suppress, round or combine the small counts listed",
    Kind.PERSON_IN_TEXT: "remove the name, or the status or identifier tied to it",
    Kind.IDENTIFIER_IN_TEXT: "remove the identifier",
    Kind.FAILED_REDACTION: "apply the redaction annotations: the text is still in the file",
    Kind.NAME_LIST: "remove the list of names, unless everyone on it is public in that role",
    Kind.HIDDEN_NAMES: "delete the hidden names",
    Kind.NAMED_LIST: "check that everyone named is public in that role",
    Kind.UNREADABLE: "give Veil a copy it can read (not encrypted, not damaged): it never passes what it cannot read",
}

_SHEET = re.compile(r"sheet '([^']*)'")
_WHERE = re.compile(r"\b((?:rows?|columns?|cells?) [A-Z0-9:$, -]+[A-Z0-9])")


def advice(finding: Finding) -> str:
    """One line saying what to do, or "" for findings that need nothing done (notes)."""
    template = _BY_VISIBILITY.get(finding.visibility)
    if template is None:
        return _BY_KIND.get(finding.kind, "")
    sheet = _SHEET.search(finding.location)
    where = _WHERE.search(finding.location)
    return template.format(sheet=f" '{sheet.group(1)}'" if sheet else "",
                           where=f" ({where.group(1)})" if where else "")
