"""Finish the tagging WeasyPrint leaves incomplete, so the PDF meets PDF/UA-1 (ISO 14289-1) in fact.

WeasyPrint 70 writes a structure tree but (see its issues #1836 and #2482):
- tags the page-margin boxes (running head, page number, marking) as content outside the tree instead of as
  pagination artifacts (ISO 14289-1 7.8);
- gives every box of a link its own annotation, so annotations land in nested /Link elements or in /Span and
  /NonStruct elements inside a link instead of in one /Link element (7.18.5);
- leaves the Print flag off the link annotations (7.18.1) and /Scope off table header cells (7.5);
- describes a link (/Contents) by its target's fragment ("a-7") rather than in words (7.18.5);
- wraps every text box in a /Span without attributes, so a heading of two lines is /H1 [/Span [1], /Span [2]].
`make_accessible` fixes exactly these on the written file with pikepdf; the output is deterministic.
"""

from __future__ import annotations

import io
from typing import Iterable, Iterator, Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name

PRINT_FLAG = 4  # annotation flag bit 3 (ISO 32000-1 12.5.3)


class TaggingError(ValueError):
    """The PDF's structure cannot be completed (for instance a link annotation with no place in the tree)."""


def make_accessible(data: bytes, link_descriptions: Mapping[str, str] | None = None) -> bytes:
    """Return `data` (a tagged PDF from WeasyPrint) with its accessibility tagging completed.

    `link_descriptions` maps an internal destination name to the words that describe it; they become the
    link annotation's /Contents.
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = StructTree(pdf)
        artifact_content_outside_the_tree(pdf, tree)
        put_links_in_link_elements(pdf, tree)
        set_print_flag(pdf)
        describe_links(pdf, link_descriptions or {})
        scope_header_cells(tree)
        one_sequence_per_heading(pdf, tree)
        out = io.BytesIO()
        # deterministic_id keeps /ID[0] and derives /ID[1] from the content, so equal input gives equal bytes.
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


class StructTree:
    """The structure tree of a PDF: its elements in document order and the ParentTree that points back to them."""

    def __init__(self, pdf: pikepdf.Pdf):
        root = pdf.Root.get("/StructTreeRoot")
        if root is None or "/ParentTree" not in root:
            raise TaggingError("PDF heeft geen structuurboom (StructTreeRoot met ParentTree)")
        self.pdf = pdf
        self.root = root
        self.parent_tree = pikepdf.NumberTree(root.ParentTree)
        self.elements = list(self._walk(root))
        self.reachable = {element.objgen for element in self.elements}

    def _walk(self, node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
        for kid in kids(node):
            if is_element(kid):
                yield kid
                yield from self._walk(kid)

    def of_type(self, *types: str) -> list[pikepdf.Dictionary]:
        names = {f"/{t}" for t in types}
        return [element for element in self.elements if str(element.S) in names]

    def ancestors(self, element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
        parent = element.get("/P")
        while parent is not None and is_element(parent):
            yield parent
            parent = parent.get("/P")

    def page_parents(self, page: pikepdf.Page) -> pikepdf.Array | None:
        """The ParentTree's array for a page: element of each MCID on it, by MCID."""
        key = page.obj.get("/StructParents")
        return None if key is None else self.parent_tree.get(int(key))


def kids(node: pikepdf.Object) -> list:
    value = node.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def set_kids(node: pikepdf.Dictionary, new_kids: list) -> None:
    node.K = Array(new_kids)


def is_element(node) -> bool:
    return isinstance(node, Dictionary) and "/S" in node and node.get("/Type", Name.StructElem) == Name.StructElem


def is_objr(node) -> bool:
    return isinstance(node, Dictionary) and node.get("/Type") == Name.OBJR


def same(a: pikepdf.Object, b: pikepdf.Object) -> bool:
    return (isinstance(a, pikepdf.Object) and isinstance(b, pikepdf.Object) and a.is_indirect and b.is_indirect
            and a.objgen == b.objgen)


# --- 7.8: content outside the structure tree becomes a pagination artifact -------------------------------

def artifact_content_outside_the_tree(pdf: pikepdf.Pdf, tree: StructTree) -> int:
    """Turn marked content whose element is not in the structure tree into /Artifact /Pagination.

    WeasyPrint tags the page-margin boxes (running head, page number, the marking of a version not in force)
    but never links their elements into the tree; they repeat on every page, so they are pagination artifacts.
    Returns the number of marked-content sequences changed.
    """
    changed = 0
    for number, page in enumerate(pdf.pages, start=1):
        parents = tree.page_parents(page)
        if parents is None:
            continue
        outside = {mcid for mcid, element in enumerate(parents)
                   if isinstance(element, Dictionary) and element.objgen not in tree.reachable}
        if not outside:
            continue
        instructions = pikepdf.parse_content_stream(page)
        found = set()
        for index, instruction in enumerate(instructions):
            if str(instruction.operator) != "BDC" or len(instruction.operands) != 2:
                continue
            mcid = _mcid(page, instruction.operands[1])
            if mcid in outside:
                found.add(mcid)
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, Dictionary(Type=Name.Pagination)], pikepdf.Operator("BDC"))
        if found != outside:
            missing = ", ".join(map(str, sorted(outside - found)))
            raise TaggingError(f"pagina {number}: gemarkeerde inhoud {missing} staat niet in de paginainhoud")
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        # The ParentTree array is indexed by MCID: artifacts leave null holes, trailing ones are dropped.
        remaining = [None if mcid in outside else element for mcid, element in enumerate(parents)]
        while remaining and remaining[-1] is None:
            remaining.pop()
        tree.parent_tree[int(page.obj.StructParents)] = pdf.make_indirect(Array(remaining))
        changed += len(outside)
    return changed


def _mcid(page: pikepdf.Page, properties) -> int | None:
    if isinstance(properties, Name):
        properties = page.obj.get("/Resources", Dictionary()).get("/Properties", Dictionary()).get(properties)
    if isinstance(properties, Dictionary) and "/MCID" in properties:
        return int(properties.MCID)
    return None


# --- 7.18.5: every link annotation is an /OBJR in exactly one /Link element ---------------------------------

def put_links_in_link_elements(pdf: pikepdf.Pdf, tree: StructTree) -> None:
    """Make each link's text and annotations the content of one /Link element.

    Nested /Link elements (WeasyPrint makes one per box of a link, e.g. its ::after page number) are merged into
    the outermost; an annotation held by a /Span or /NonStruct inside a link moves to that link; an annotation
    whose element has no /Link around it gets a new /Link element wrapping that element.
    """
    for link in tree.of_type("Link"):
        if any(str(ancestor.S) == "/Link" for ancestor in tree.ancestors(link)):
            _dissolve(pdf, tree, link)
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") != Name.Link:
                continue
            if "/StructParent" not in annotation:
                raise TaggingError(f"pagina {number}: koppeling zonder plaats in de structuurboom (geen /StructParent)")
            holder = tree.parent_tree.get(int(annotation.StructParent))
            if not is_element(holder) or holder.objgen not in tree.reachable:
                raise TaggingError(f"pagina {number}: koppeling verwijst naar een element buiten de structuurboom")
            if str(holder.S) == "/Link":
                if any(is_objr(kid) and same(kid.Obj, annotation) for kid in kids(holder)):
                    continue
                link = holder
            else:
                link = next((a for a in tree.ancestors(holder) if str(a.S) == "/Link"), None)
                if link is None:
                    link = _wrap_in_link(pdf, tree, holder)
            objr = _take_objr(holder, annotation)
            if objr is None:
                objr = pdf.make_indirect(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page.obj))
            set_kids(link, kids(link) + [objr])
            tree.parent_tree[int(annotation.StructParent)] = link


def _dissolve(pdf: pikepdf.Pdf, tree: StructTree, element: pikepdf.Dictionary) -> None:
    """Replace `element` in its parent by its own kids, re-pointing the ParentTree at the parent."""
    parent = element.P
    moved = []
    for kid in kids(element):
        if is_element(kid):
            kid.P = parent
        elif is_objr(kid):
            key = kid.Obj.get("/StructParent")
            if key is not None:
                tree.parent_tree[int(key)] = parent
        else:
            kid = _repoint_mcid(tree, element, parent, kid)
        moved.append(kid)
    new_kids = []
    for kid in kids(parent):
        new_kids.extend(moved if same(kid, element) else [kid])
    set_kids(parent, new_kids)
    tree.reachable.discard(element.objgen)
    tree.elements = [e for e in tree.elements if not same(e, element)]


def _repoint_mcid(tree: StructTree, old: pikepdf.Dictionary, new: pikepdf.Dictionary, kid):
    """Point a marked-content kid's ParentTree entry at `new`; an MCID whose page differs from `new`'s gets an /MCR."""
    if isinstance(kid, Dictionary):  # an /MCR
        page_obj, mcid = kid.get("/Pg", old.get("/Pg")), int(kid.MCID)
    else:
        page_obj, mcid = old.get("/Pg"), int(kid)
    if page_obj is None or "/StructParents" not in page_obj:
        raise TaggingError("gemarkeerde inhoud zonder pagina in de structuurboom")
    parents = tree.parent_tree.get(int(page_obj.StructParents))
    parents[mcid] = new
    if not isinstance(kid, Dictionary) and not (new.get("/Pg") is not None and same(new.Pg, page_obj)):
        return Dictionary(Type=Name.MCR, Pg=page_obj, MCID=mcid)
    return kid


def _take_objr(holder: pikepdf.Dictionary, annotation: pikepdf.Dictionary):
    """Remove and return the /OBJR of `annotation` from `holder`'s kids, if it has one."""
    remaining, taken = [], None
    for kid in kids(holder):
        if taken is None and is_objr(kid) and same(kid.Obj, annotation):
            taken = kid
        else:
            remaining.append(kid)
    if taken is not None:
        set_kids(holder, remaining)
    return taken


def _wrap_in_link(pdf: pikepdf.Pdf, tree: StructTree, holder: pikepdf.Dictionary) -> pikepdf.Dictionary:
    parent = holder.P
    link = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=parent, K=Array([holder])))
    if "/Pg" in holder:
        link.Pg = holder.Pg
    set_kids(parent, [link if same(kid, holder) else kid for kid in kids(parent)])
    holder.P = link
    tree.reachable.add(link.objgen)
    tree.elements.append(link)
    return link


# --- 7.18.1 and 7.18.5: annotations print, and say where they go -------------------------------------------

def set_print_flag(pdf: pikepdf.Pdf) -> int:
    """Set the Print flag on every annotation, so print and screen show the same; returns how many changed."""
    changed = 0
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            flags = int(annotation.get("/F", 0))
            if not flags & PRINT_FLAG:
                annotation.F = flags | PRINT_FLAG
                changed += 1
    return changed


def describe_links(pdf: pikepdf.Pdf, descriptions: Mapping[str, str]) -> None:
    """Give internal links the words of `descriptions` for their destination as /Contents."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            destination = annotation.get("/Dest")
            if isinstance(destination, pikepdf.String) and str(destination) in descriptions:
                annotation.Contents = pikepdf.String(descriptions[str(destination)])


# --- 7.5: header cells say which cells they head ---------------------------------------------------------------

def scope_header_cells(tree: StructTree) -> int:
    """Add /Scope to each /TH without one: /Column in a row of header cells only, else /Row (as HTML's auto scope)."""
    changed = 0
    for row in tree.of_type("TR"):
        cells = [kid for kid in kids(row) if is_element(kid)]
        all_headers = all(str(cell.S) == "/TH" for cell in cells)
        for cell in cells:
            if str(cell.S) != "/TH":
                continue
            attributes = _table_attributes(cell)
            if "/Scope" not in attributes:
                attributes.Scope = Name.Column if all_headers else Name.Row
                changed += 1
    return changed


def _table_attributes(cell: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The cell's attribute dictionary owned by /Table, created if missing."""
    current = cell.get("/A")
    owned: Iterable = current if isinstance(current, Array) else ([current] if current is not None else [])
    for attributes in owned:
        if isinstance(attributes, Dictionary) and attributes.get("/O") == Name.Table:
            return attributes
    table = Dictionary(O=Name.Table)
    cell.A = Array(list(owned) + [table]) if owned else table
    return table


# --- 7.4: a heading owns its text as one marked-content sequence -----------------------------------------------

HEADINGS = {Name("/H"), *(Name(f"/H{level}") for level in range(1, 7))}
# What WeasyPrint writes on the /Span of a text box: no attribute, language or alternate text that a reader could use.
PLAIN_SPAN_KEYS = {"/Type", "/S", "/K", "/Pg", "/P"}


def one_sequence_per_heading(pdf: pikepdf.Pdf, tree: StructTree) -> int:
    """Make each heading's /K the one MCID of its text, joining its adjacent marked-content sequences.

    WeasyPrint gives a heading one plain /Span per line and per inline box ("CVO-nwf" in a no-break span). Those
    Spans carry nothing, so the heading owns its marked content directly; when that content is several sequences
    that follow one another on one page, they become one (the EMC/BDC pairs between them go; the page is drawn
    the same). A heading's /K is then a single integer, the simplest form ISO 32000-1 14.7.2 allows, and checkers
    that cannot read an array there (pdfua 0.1.3's UA-14-001) can check it. A heading holding anything else (a
    link, a Span with attributes, content on two pages or not adjacent) is left as it is.
    Returns the number of headings changed.
    """
    pages = {page.obj.objgen: page for page in pdf.pages}
    by_page: dict[tuple, list] = {}
    for heading in tree.elements:
        if heading.S not in HEADINGS or not isinstance(heading.get("/Pg"), Dictionary):
            continue
        mcids = _plain_mcids(heading, heading.Pg)
        if mcids and heading.Pg.objgen in pages:
            by_page.setdefault(heading.Pg.objgen, []).append((heading, mcids))
    changed = 0
    for objgen, headings in by_page.items():
        page = pages[objgen]
        parents = tree.page_parents(page)
        if parents is None:
            continue
        instructions = pikepdf.parse_content_stream(page)
        spans = _sequences(page, instructions)
        drop: set[int] = set()
        changed_here = 0
        for heading, mcids in headings:
            found = [spans.get(mcid) for mcid in mcids]
            if None in found or any(end + 1 != start for (_, end), (start, _) in zip(found, found[1:])):
                continue
            for (_, end), (start, _) in zip(found, found[1:]):
                drop.update((end, start))
            heading.K = mcids[0]
            for mcid in mcids:
                parents[mcid] = heading if mcid == mcids[0] else None
            changed_here += 1
        if not changed_here:
            continue
        changed += changed_here
        if drop:
            kept = [instruction for index, instruction in enumerate(instructions) if index not in drop]
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        remaining = list(parents)
        while remaining and remaining[-1] is None:
            remaining.pop()
        tree.parent_tree[int(page.obj.StructParents)] = pdf.make_indirect(Array(remaining))
    return changed


def _plain_mcids(element: pikepdf.Dictionary, page_obj: pikepdf.Dictionary) -> list[int] | None:
    """The MCIDs under `element` through plain Spans on `page_obj`, in order; None if it holds anything else."""
    mcids: list[int] = []
    for kid in kids(element):
        if isinstance(kid, int) and not isinstance(kid, bool):
            mcids.append(int(kid))
        elif (is_element(kid) and kid.S == Name.Span and set(kid.keys()) <= PLAIN_SPAN_KEYS
              and same(kid.get("/Pg", page_obj), page_obj)):
            inner = _plain_mcids(kid, page_obj)
            if inner is None:
                return None
            mcids += inner
        else:
            return None
    return mcids


def _sequences(page: pikepdf.Page, instructions: list) -> dict[int, tuple[int, int]]:
    """Index of the BDC and of its EMC for each MCID in `instructions`."""
    found, open_ = {}, []
    for index, instruction in enumerate(instructions):
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            mcid = _mcid(page, instruction.operands[1]) if operator == "BDC" and len(instruction.operands) == 2 else None
            open_.append((mcid, index))
        elif operator == "EMC" and open_:
            mcid, start = open_.pop()
            if mcid is not None:
                found[mcid] = (start, index)
    return found
