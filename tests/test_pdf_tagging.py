"""The tagging post-processor on tiny PDFs built here, each holding one of WeasyPrint's tagging gaps."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from build_tools.pdf_tagging import TaggingError, make_accessible

IDENTIFIER = b"0123456789abcdef0123456789abcdef"


class TinyPdf:
    """A one-page tagged PDF whose content and structure tree a test spells out."""

    def __init__(self):
        self.pdf = pikepdf.new()
        self.pdf.add_blank_page(page_size=(300, 300))
        self.page = self.pdf.pages[0]
        self.page.obj.StructParents = 0
        self.page.Resources = Dictionary(Font=Dictionary(F1=Dictionary(
            Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)))
        self.root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = self.element("Document", self.root)
        self.root.K = Array([self.document])
        self.pdf.Root.StructTreeRoot = self.root
        self.pdf.Root.MarkInfo = Dictionary(Marked=True)
        self.pdf.trailer.ID = Array([pikepdf.String(IDENTIFIER), pikepdf.String(IDENTIFIER)])
        self.content: list[str] = []
        self.mcid_parents: list = []
        self.annotations: list = []
        self.extra_parents: dict[int, pikepdf.Object] = {}

    def element(self, kind: str, parent, *, linked: bool = True, **extra) -> pikepdf.Dictionary:
        element = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + kind), P=parent,
                                                    K=Array(), **extra))
        if "/Pg" not in element:
            element.Pg = self.page.obj
        if linked and parent is not self.root:
            parent.K.append(element)
        return element

    def text(self, element, words: str, y: int, tag: str = "Span") -> int:
        """Show `words` as marked content owned by `element`; returns the MCID."""
        mcid = len(self.mcid_parents)
        self.content.append(f"/{tag} <</MCID {mcid}>> BDC BT /F1 10 Tf 20 {y} Td ({words}) Tj ET EMC")
        self.mcid_parents.append(element)
        return mcid

    def owns(self, element, mcid: int) -> None:
        element.K.append(mcid)

    def annotation(self, holder, *, dest: str = "doel", flags: int | None = None, objr: bool = True) -> pikepdf.Dictionary:
        annotation = self.pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([10, 10, 50, 30]), Dest=pikepdf.String(dest),
            Contents=pikepdf.String(dest)))
        if flags is not None:
            annotation.F = flags
        if holder is not None:
            annotation.StructParent = 1 + len(self.annotations)
            self.extra_parents[int(annotation.StructParent)] = holder
            if objr:
                holder.K.append(self.pdf.make_indirect(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=self.page.obj)))
        self.annotations.append(annotation)
        return annotation

    def bytes(self) -> bytes:
        self.page.Contents = self.pdf.make_stream("\n".join(self.content).encode())
        if self.annotations:
            self.page.obj.Annots = Array(self.annotations)
        nums = [0, self.pdf.make_indirect(Array(self.mcid_parents))]
        for key, holder in sorted(self.extra_parents.items()):
            nums += [key, holder]
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=Array(nums)))
        out = io.BytesIO()
        self.pdf.save(out, static_id=True)
        return out.getvalue()


def reopen(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def parent_tree(pdf: pikepdf.Pdf) -> pikepdf.NumberTree:
    return pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)


def kids(element) -> list:
    value = element.get("/K", Array())
    return list(value) if isinstance(value, Array) else [value]


def walk(element):
    for kid in kids(element):
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid
            yield from walk(kid)


def elements(pdf: pikepdf.Pdf, kind: str) -> list:
    return [e for e in walk(pdf.Root.StructTreeRoot) if e.S == Name("/" + kind)]


def marked_content(pdf: pikepdf.Pdf) -> list[tuple[str, dict]]:
    """(tag, properties) of each BDC on the first page, in stream order."""
    return [(str(op.operands[0]), {str(k): v for k, v in op.operands[1].items()})
            for op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op.operator) == "BDC"]


# --- running heads and page numbers -----------------------------------------------------------------------

def test_content_outside_the_tree_becomes_a_pagination_artifact():
    tiny = TinyPdf()
    paragraph = tiny.element("P", tiny.document)
    tiny.owns(paragraph, tiny.text(paragraph, "Tekst van het protocol", 200, tag="P"))
    # WeasyPrint's margin box: an element that points at the document but is not one of its kids.
    running_head = tiny.element("Span", tiny.document, linked=False)
    tiny.owns(running_head, tiny.text(running_head, "Richtlijnen versie 2.0", 280))
    page_number = tiny.element("Span", tiny.document, linked=False)
    tiny.owns(page_number, tiny.text(page_number, "pagina 1 van 1", 10))

    pdf = reopen(make_accessible(tiny.bytes()))

    assert marked_content(pdf) == [("/P", {"/MCID": 0}),
                                   ("/Artifact", {"/Type": Name.Pagination}),
                                   ("/Artifact", {"/Type": Name.Pagination})]
    # The ParentTree array is indexed by MCID: only the paragraph's entry remains.
    entries = list(parent_tree(pdf)[0])
    assert len(entries) == 1 and entries[0].S == Name.P


def test_an_artifact_between_tagged_content_leaves_a_null_in_the_parent_tree():
    tiny = TinyPdf()
    first, last = tiny.element("P", tiny.document), tiny.element("P", tiny.document)
    tiny.owns(first, tiny.text(first, "Eerste alinea", 250, tag="P"))
    head = tiny.element("Span", tiny.document, linked=False)
    tiny.owns(head, tiny.text(head, "Kop", 280))
    tiny.owns(last, tiny.text(last, "Laatste alinea", 200, tag="P"))
    tiny_bytes = tiny.bytes()

    pdf = reopen(make_accessible(tiny_bytes))

    entries = list(parent_tree(pdf)[0])
    assert entries[0].S == Name.P and entries[1] is None and entries[2].S == Name.P
    assert [tag for tag, _ in marked_content(pdf)] == ["/P", "/Artifact", "/P"]
    # A second pass leaves the null hole alone.
    again = reopen(make_accessible(make_accessible(tiny_bytes)))
    assert [tag for tag, _ in marked_content(again)] == ["/P", "/Artifact", "/P"]


def test_a_tagged_page_keeps_its_content_stream_untouched():
    tiny = TinyPdf()
    paragraph = tiny.element("P", tiny.document)
    tiny.owns(paragraph, tiny.text(paragraph, "Alleen inhoud", 200, tag="P"))
    data = tiny.bytes()
    before, after = reopen(data), reopen(make_accessible(data))
    assert after.pages[0].Contents.read_bytes() == before.pages[0].Contents.read_bytes()


# --- links --------------------------------------------------------------------------------------------

def _link_owner(pdf: pikepdf.Pdf, annotation) -> pikepdf.Dictionary:
    """The element the ParentTree names for `annotation`, checked to hold an /OBJR to it."""
    owner = parent_tree(pdf)[int(annotation.StructParent)]
    objrs = [k for k in kids(owner) if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR]
    assert any(o.Obj.objgen == annotation.objgen for o in objrs), "the owner has no /OBJR for the annotation"
    return owner


def test_nested_link_elements_merge_into_the_outermost():
    # A table-of-contents entry: the link, its ::after (leader and page number) and the leader box each a /Link.
    tiny = TinyPdf()
    item = tiny.element("LBody", tiny.document)
    outer = tiny.element("Link", item)
    tiny.annotation(outer)
    tiny.owns(outer, tiny.text(outer, "Inleiding", 200))
    after = tiny.element("Link", outer)
    tiny.annotation(after)
    leader = tiny.element("Link", after)
    tiny.annotation(leader)
    tiny.owns(leader, tiny.text(leader, "....", 200))
    tiny.owns(after, tiny.text(after, "3", 200))

    pdf = reopen(make_accessible(tiny.bytes()))

    links = elements(pdf, "Link")
    assert len(links) == 1
    link = links[0]
    assert [k for k in kids(link) if isinstance(k, int)] == [0, 1, 2]
    for annotation in pdf.pages[0].Annots:
        assert _link_owner(pdf, annotation).objgen == link.objgen
    assert all(entry.objgen == link.objgen for entry in parent_tree(pdf)[0])


def test_an_annotation_on_a_span_inside_a_link_moves_to_the_link():
    tiny = TinyPdf()
    paragraph = tiny.element("P", tiny.document)
    link = tiny.element("Link", paragraph)
    tiny.annotation(link)
    span = tiny.element("Span", link)
    tiny.owns(span, tiny.text(span, "privé-situaties", 200))
    tiny.annotation(span)

    pdf = reopen(make_accessible(tiny.bytes()))

    links = elements(pdf, "Link")
    assert len(links) == 1
    for annotation in pdf.pages[0].Annots:
        assert _link_owner(pdf, annotation).objgen == links[0].objgen
    assert not [k for k in kids(elements(pdf, "Span")[0]) if isinstance(k, Dictionary)]


def test_an_annotation_outside_any_link_gets_a_link_element_around_its_text():
    tiny = TinyPdf()
    paragraph = tiny.element("P", tiny.document)
    span = tiny.element("Span", paragraph)
    tiny.owns(span, tiny.text(span, "artikel A.7", 200))
    tiny.annotation(span)

    pdf = reopen(make_accessible(tiny.bytes()))

    link = _link_owner(pdf, pdf.pages[0].Annots[0])
    assert link.S == Name.Link and link.P.S == Name.P
    assert kids(link)[0].S == Name.Span and kids(link)[0].P.objgen == link.objgen
    assert [k.S for k in kids(elements(pdf, "P")[0])] == [Name.Link]


def test_an_annotation_named_by_the_parent_tree_but_missing_its_objr_gets_one():
    tiny = TinyPdf()
    link = tiny.element("Link", tiny.document)
    tiny.owns(link, tiny.text(link, "Colofon", 200))
    tiny.annotation(link, objr=False)
    span_holder = tiny.element("Span", link)
    tiny.annotation(span_holder, objr=False)

    pdf = reopen(make_accessible(tiny.bytes()))

    for annotation in pdf.pages[0].Annots:
        assert _link_owner(pdf, annotation).S == Name.Link


def test_a_link_annotation_with_no_place_in_the_tree_is_refused():
    tiny = TinyPdf()
    paragraph = tiny.element("P", tiny.document)
    tiny.owns(paragraph, tiny.text(paragraph, "Tekst", 200, tag="P"))
    tiny.annotation(None)
    with pytest.raises(TaggingError, match="pagina 1: koppeling zonder plaats in de structuurboom"):
        make_accessible(tiny.bytes())


def test_an_untagged_pdf_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(TaggingError, match="geen structuurboom"):
        make_accessible(out.getvalue())


def test_print_flag_is_set_and_other_flags_are_kept():
    tiny = TinyPdf()
    link = tiny.element("Link", tiny.document)
    tiny.owns(link, tiny.text(link, "Inleiding", 200))
    tiny.annotation(link)
    tiny.annotation(link, flags=128)  # Locked
    tiny.annotation(link, flags=4)

    pdf = reopen(make_accessible(tiny.bytes()))

    assert [int(a.F) for a in pdf.pages[0].Annots] == [4, 132, 4]


def test_internal_links_are_described_in_words():
    tiny = TinyPdf()
    link = tiny.element("Link", tiny.document)
    tiny.owns(link, tiny.text(link, "A.7", 200))
    tiny.annotation(link, dest="a-7")
    tiny.annotation(link, dest="onbekend")

    pdf = reopen(make_accessible(tiny.bytes(), {"a-7": "Artikel A.7"}))

    assert [str(a.Contents) for a in pdf.pages[0].Annots] == ["Artikel A.7", "onbekend"]


# --- tables -----------------------------------------------------------------------------------------------

def test_header_cells_get_a_scope_from_their_row():
    tiny = TinyPdf()
    table = tiny.element("Table", tiny.document)
    header_row = tiny.element("TR", tiny.element("THead", table))
    body = tiny.element("TBody", table)
    column_headers = [tiny.element("TH", header_row, A=Dictionary(O=Name.Table)) for _ in range(2)]
    row = tiny.element("TR", body)
    row_header = tiny.element("TH", row)  # no attributes at all
    tiny.element("TD", row, A=Dictionary(O=Name.Table))
    kept_row = tiny.element("TR", body)
    kept = tiny.element("TH", kept_row, A=Array([Dictionary(O=Name.Layout), Dictionary(O=Name.Table, Scope=Name.Both)]))
    tiny.element("TD", kept_row)
    for cell in column_headers + [row_header, kept]:
        tiny.owns(cell, tiny.text(cell, "Kop", 100))

    pdf = reopen(make_accessible(tiny.bytes()))

    scopes = []
    for cell in elements(pdf, "TH"):
        attributes = cell.A if isinstance(cell.A, Array) else [cell.A]
        scopes.append([a.get("/Scope") for a in attributes if a.get("/O") == Name.Table])
    assert scopes == [[Name.Column], [Name.Column], [Name.Row], [Name.Both]]


# --- headings -------------------------------------------------------------------------------------------

def _heading(tiny: TinyPdf, lines: list[str], **span_extra) -> pikepdf.Dictionary:
    """A heading as WeasyPrint tags it: one plain /Span per line, each owning one marked-content sequence."""
    heading = tiny.element("H1", tiny.document)
    for number, words in enumerate(lines):
        span = tiny.element("Span", heading, **span_extra)
        tiny.owns(span, tiny.text(span, words, 250 - 12 * number))
    return heading


def _drawn(pdf: pikepdf.Pdf) -> list:
    """The page's operators without its marked-content ones: what is drawn."""
    return [(str(op.operator), [str(o) for o in op.operands]) for op in pikepdf.parse_content_stream(pdf.pages[0])
            if str(op.operator) not in ("BDC", "BMC", "EMC")]


def test_a_heading_of_several_lines_owns_one_marked_content_sequence():
    tiny = TinyPdf()
    _heading(tiny, ["Richtlijnen gebruik", "sociale media", "CVO-nwf"])
    paragraph = tiny.element("P", tiny.document)
    tiny.owns(paragraph, tiny.text(paragraph, "Tekst", 150, tag="P"))
    data = tiny.bytes()

    pdf = reopen(make_accessible(data))

    [heading] = elements(pdf, "H1")
    assert heading.K == 0 and not elements(pdf, "Span")
    assert marked_content(pdf) == [("/Span", {"/MCID": 0}), ("/P", {"/MCID": 3})]
    assert _drawn(pdf) == _drawn(reopen(data))
    entries = list(parent_tree(pdf)[0])
    assert entries[0].objgen == heading.objgen and entries[1] is None and entries[2] is None
    assert entries[3].S == Name.P
    twice = reopen(make_accessible(make_accessible(data)))
    assert elements(twice, "H1")[0].K == 0 and marked_content(twice) == marked_content(pdf)


def test_a_heading_of_one_line_owns_its_sequence_and_the_page_is_untouched():
    tiny = TinyPdf()
    _heading(tiny, ["Inleiding"])
    data = tiny.bytes()

    pdf = reopen(make_accessible(data))

    before = reopen(data)
    assert elements(pdf, "H1")[0].K == 0 and not elements(pdf, "Span")
    assert pdf.pages[0].Contents.read_bytes() == before.pages[0].Contents.read_bytes()


def test_a_heading_with_more_than_plain_text_keeps_its_structure():
    tiny = TinyPdf()
    _heading(tiny, ["Titel", "in het Engels"], Lang=pikepdf.String("en"))  # a Span that says something
    split = tiny.element("H2", tiny.document)  # its two lines with a paragraph drawn between them
    first = tiny.element("Span", split)
    tiny.owns(first, tiny.text(first, "Eerste regel", 200))
    paragraph = tiny.element("P", tiny.document)
    tiny.owns(paragraph, tiny.text(paragraph, "Tussendoor", 180, tag="P"))
    last = tiny.element("Span", split)
    tiny.owns(last, tiny.text(last, "tweede regel", 160))
    data = tiny.bytes()

    pdf = reopen(make_accessible(data))

    assert [len(kids(h)) for h in elements(pdf, "H1") + elements(pdf, "H2")] == [2, 2]
    before = reopen(data)
    assert len(elements(pdf, "Span")) == 4
    assert pdf.pages[0].Contents.read_bytes() == before.pages[0].Contents.read_bytes()


# --- output ---------------------------------------------------------------------------------------------

def _weasyprint_like() -> bytes:
    tiny = TinyPdf()
    paragraph = tiny.element("P", tiny.document)
    link = tiny.element("Link", paragraph)
    tiny.owns(link, tiny.text(link, "Inleiding", 200))
    tiny.annotation(link)
    inner = tiny.element("Link", link)
    tiny.annotation(inner)
    head = tiny.element("Span", tiny.document, linked=False)
    tiny.owns(head, tiny.text(head, "Kop", 280))
    return tiny.bytes()


def test_output_is_deterministic_keeps_the_document_identifier_and_is_a_fixed_point():
    data = _weasyprint_like()
    once = make_accessible(data)
    assert make_accessible(data) == once
    assert bytes(reopen(once).trailer.ID[0]) == IDENTIFIER
    # A second pass finds nothing left to do.
    twice = reopen(make_accessible(once))
    assert marked_content(twice) == marked_content(reopen(once))
    assert len(elements(twice, "Link")) == 1
