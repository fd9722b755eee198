"""Reading a PDF back as a reader or an archive would (pypdf): its structure tree, its PDF/A identification,
its associated files and its links."""

from __future__ import annotations

import re

from pypdf import PdfReader


def structure_elements(reader: PdfReader) -> list[dict]:
    """Every element of the PDF's structure tree (what a screen reader reads), in document order."""
    found: list[dict] = []

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if kid is not None and hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def structure_types(reader: PdfReader) -> list[str]:
    return [str(element["/S"]) for element in structure_elements(reader)]


def pdfa_identification(reader: PdfReader) -> tuple[str, str]:
    """(part, conformance) of the XMP metadata's pdfaid, as a PDF/A validator reads them."""
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    part = re.search(r"pdfaid:part(?:>|=\")(\w+)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")(\w+)", xmp)
    return (part.group(1) if part else "", conformance.group(1) if conformance else "")


def associated_files(reader: PdfReader) -> dict[str, tuple[str, bytes]]:
    """The document's associated files (the catalog's /AF): name → (AFRelationship, content)."""
    files = {}
    for reference in reader.trailer["/Root"].get("/AF") or []:
        spec = reference.get_object()
        files[str(spec["/UF"])] = (str(spec["/AFRelationship"]), spec["/EF"]["/F"].get_object().get_data())
    return files


def link_uris(reader: PdfReader) -> list[str]:
    """Every URI a reader can follow, page by page."""
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def text_runs(page) -> list[tuple[str, float, float]]:
    """(text, font size in points, baseline height) of each piece of text the page shows, in drawing order."""
    runs = []

    def visit(text, cm, tm, font, size) -> None:
        # The text matrix placed by the current transformation: its scale gives the size, its offset the baseline.
        scale = tm[2] * cm[1] + tm[3] * cm[3]
        baseline = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip():
            runs.append((text.strip(), size * scale, baseline))

    page.extract_text(visitor_text=visit)
    return runs
