"""gxgk.readers: typing by content, the text layout the parser reads, and refusing bad input."""

from __future__ import annotations

import io
import json
import pathlib
import zipfile

import pytest

import paths as _paths
from gxgk.errors import (
    GxgkError,
    InputTooLargeError,
    MissingExtraError,
    UnreadableError,
    UnsupportedFormatError,
)
from gxgk.readers import Document, Limits, read, read_path

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
REAL = _paths.REAL
GOLD = _paths.GOLD


def needs_real(fn):  # the real documents are copied into tests/data: nothing to skip
    return fn


def lines(doc: Document) -> list[str]:
    return doc.text.split("\n")


# ---------------------------------------------------------------------------------------------------
# Fixtures: seed reports rendered as HTML, then converted by LibreOffice to .docx and PDF

FIXTURE_ROWS = {
    "seed000": ["规范性文件\t0\t2\t2", "政府集中采购\t20（含服务）\t85.64 万", "行政事业性收费\t0\t0"],
    "seed002": ["规范性文件\t0\t0\t0", "行政许可\t0\t0\t0"],
    "seed003": ["规范性文件\t0\t0\t0", "行政处罚\t0\t0\t0"],
}


@pytest.mark.parametrize("kind", ["html", "docx", "pdf"])
@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROWS))
def test_fixture_rows(fixture: str, kind: str) -> None:
    doc = read_path(FIXTURES / f"{fixture}.{kind}")
    assert doc.kind == kind
    text_lines = [line.rstrip("\t") for line in lines(doc)]
    for row in FIXTURE_ROWS[fixture]:
        assert row in text_lines, row
    assert "二、主动公开政府信息情况" in text_lines


def test_fixture_metadata() -> None:
    assert read_path(FIXTURES / "seed000.html").encoding == "gb18030"  # declared gb2312-compatible
    assert read_path(FIXTURES / "seed002.html").encoding == "utf-8"
    pdf = read_path(FIXTURES / "seed000.pdf")
    assert pdf.pages and pdf.pages >= 1 and pdf.encoding is None
    assert pdf.name == str(FIXTURES / "seed000.pdf")


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, dict) and "any_of" in expected:
        return any(_same(e, actual) for e in expected["any_of"])
    if expected is None or actual is None:
        return expected is None and actual is None
    return abs(float(expected) - float(actual)) < 1e-9  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["html", "docx", "pdf"])
@pytest.mark.parametrize("fixture", sorted(FIXTURE_ROWS))
def test_fixture_parses_to_seed_gold(fixture: str, kind: str) -> None:
    import gxgk

    gold_files = sorted(GOLD.glob(f"{fixture[4:]}_*.json"))
    assert gold_files, f"no gold for {fixture}"
    gold = json.loads(gold_files[0].read_text(encoding="utf-8"))
    report = gxgk.parse(FIXTURES / f"{fixture}.{kind}")
    values = {key: cell.value for key, cell in report.cells()}
    wrong = {k: (v, values.get(k)) for k, v in gold["cells"].items() if not _same(v, values.get(k))}
    assert not wrong


# ---------------------------------------------------------------------------------------------------
# HTML


def html_doc(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_html_cells_one_per_td_whatever_the_spans() -> None:
    body = """
    <p>三、收到和处理政府信息公开申请情况</p>
    <table>
      <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
          <td>5</td><td>&nbsp;</td></tr>
      <tr><td>（三）不予<br>公开</td><td>1.属于 国家秘密</td><td>0</td><td>\u3000</td></tr>
      <tr><td>合计 <br> total</td><td>a\tb</td><td></td></tr>
    </table>
    <p>四、政府信息公开行政复议</p>"""
    assert lines(read(html_doc(body))) == [
        "三、收到和处理政府信息公开申请情况",
        "",
        "三、本年度办理结果\t（一）予以公开\t5\t",
        "（三）不予公开\t1.属于国家秘密\t0\t",
        "合计 total\ta b\t",
        "",
        "四、政府信息公开行政复议",
        "",
    ]


def test_html_title_first_scripts_dropped_br_breaks_paragraphs() -> None:
    page = html_doc(
        "<script>var x = '<table>';</script><style>p {}</style><noscript>开启</noscript>"
        "<div>第一行<br/>第二行</div><p>中华人民\n共和国 2024\n年</p>",
        head="<title> 某区2023年政府信息公开工作年度报告 </title>",
    )
    doc = read(page, name="page.html")
    assert doc.kind == "html" and doc.name == "page.html"
    assert lines(doc) == [
        "某区2023年政府信息公开工作年度报告",
        "第一行",
        "第二行",
        "中华人民共和国 2024 年",
        "",
    ]


def test_html_layout_table_is_flattened_and_inner_table_kept() -> None:
    body = """<table><tr><td><p>站点导航</p>
      <table><tr><td>规章</td><td>0</td></tr></table></td><td>侧栏</td></tr></table>"""
    assert lines(read(html_doc(body))) == ["站点导航", "", "规章\t0", "", "侧栏", ""]


def test_html_charsets() -> None:
    body = "<p>平潭综合实验区 政府信息公开</p>"
    gbk_meta = f'<html><head><meta charset="gbk"></head><body>{body}</body></html>'.encode("gbk")
    doc = read(gbk_meta)
    assert doc.encoding == "gb18030" and "平潭综合实验区 政府信息公开" in doc.text
    http_equiv = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
        f"<body>{body}</body></html>"
    ).encode("gb18030")
    assert "平潭综合实验区" in read(http_equiv).text
    undeclared = f"<html><body>{body}</body></html>".encode("gbk")
    assert read(undeclared).encoding == "gb18030"
    bom = b"\xef\xbb\xbf" + f"<html><body>{body}</body></html>".encode()
    assert read(bom).encoding == "utf-8"
    lying = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode("gbk")
    assert "平潭综合实验区" in read(lying).text


def test_html_fragment_starting_with_table() -> None:
    doc = read("<table><tr><td>规章</td><td>3</td></tr></table>".encode())
    assert doc.kind == "html" and "规章\t3" in lines(doc)


def test_html_tables_in_markdown_are_read_as_tab_lines() -> None:
    """Markdown that keeps a table with merged cells as HTML (MinerU writes each on one line, wrapped in
    <html><body>): the text is text, its lines kept, and each table its TAB lines, as a page's."""
    from gxgk.readers.text import with_html_tables

    table = (
        '<html><body><table><tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>'
        "<tr><td>2.其他法律行政法规禁止公开</td><td>3</td></tr></table></body></html>"
    )
    text = "# 某局2022年政府信息公开工作年度报告\n\n" + "本年度。" * 80 + "\n\n三、收到和处理政府信息公开申请情况\n\n"
    markdown = text + table + "\n\n四、政府信息公开行政复议、行政诉讼情况\n"
    doc = read(markdown.encode())
    assert doc.kind == "text"
    assert lines(doc)[:2] == ["# 某局2022年政府信息公开工作年度报告", ""]
    assert "（三）不予公开\t1.属于国家秘密\t0" in lines(doc)
    assert "2.其他法律行政法规禁止公开\t3" in lines(doc)
    assert "四、政府信息公开行政复议、行政诉讼情况" in lines(doc)
    # as text handed over, the same; a table the text breaks off in is read to the end; a stray closing
    # tag and text without a table are left as they are
    assert "<html>" not in doc.text and "</html>" not in doc.text
    assert with_html_tables(markdown) == doc.text
    cut = with_html_tables("前文\n<table><tr><td>规章</td><td>3</td>")
    assert cut.splitlines() == ["前文", "", "规章\t3"]
    stray = "前文</table>\n" * 20_000 + "<TABLE><tr><td>规章</td><td>3</td></tr></TABLE>"
    assert with_html_tables(stray).splitlines()[-1] == "规章\t3"
    assert with_html_tables("前文\n<Table><tr><td>规章</td><td>3</td></tr></Table>").splitlines()[-1] == "规章\t3"
    assert with_html_tables("无表格的文本 <tab") == "无表格的文本 <tab"


def test_html_word_export_hidden_rows_are_skipped() -> None:
    body = """<table><tr><td>行政许可</td><td>2293</td></tr>
      <tr height=0 style='display: none'><td width=1></td><td width=2></td></tr></table>"""
    assert lines(read(html_doc(body))) == ["行政许可\t2293", ""]


# ---------------------------------------------------------------------------------------------------
# DOCX

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(body_xml: str, *, prolog: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body_xml}</w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
        for member, data in (extra or {}).items():
            z.writestr(member, data)
    return buf.getvalue()


def p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"


def test_docx_merged_cells() -> None:
    rows = [
        tc("三、本年度办理结果", '<w:vMerge w:val="restart"/>')
        + tc("（一）予以公开", '<w:gridSpan w:val="2"/>')
        + tc("5"),
        tc("", "<w:vMerge/>") + tc("（三）不予") + tc("1.属于国家秘密") + tc("\u3000"),
    ]
    body = p("三、收到和处理政府信息公开申请情况") + "<w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"
    doc = read(make_docx(body), name="t.docx")
    assert doc.kind == "docx"
    assert lines(doc) == [
        "三、收到和处理政府信息公开申请情况",
        "",
        "三、本年度办理结果\t（一）予以公开\t5",
        "（三）不予\t1.属于国家秘密\t",
        "",
    ]


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def test_docx_runs_deletions_alternate_content_and_text_boxes() -> None:
    """What a paragraph's text is made of, in body paragraphs and in cells alike: tabs, breaks and
    non-breaking hyphens become text; deleted runs, field codes, soft hyphens and the fallback copy of
    alternate content do not; a text box's paragraphs stand on lines of their own."""

    def run(inner: str) -> str:
        return f"<w:r>{inner}</w:r>"

    plain = (
        "<w:p>"
        + run('<w:t>行政</w:t><w:softHyphen/><w:t xml:space="preserve">许可</w:t><w:tab/><w:t>12</w:t>')
        + run("<w:br/><w:t>A</w:t><w:noBreakHyphen/><w:t>B</w:t><w:instrText>PAGE</w:instrText>")
        + "</w:p>"
    )
    deleted = "<w:p>" + run("<w:t>规章</w:t>") + "<w:del>" + run("<w:tab/><w:delText>9</w:delText>") + "</w:del>"
    deleted += run("<w:t>3</w:t>") + "</w:p>"
    alternate = (
        "<w:p>"
        + run("<w:t>其他</w:t>")
        + f'<mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice Requires="wps">'
        + run("<w:t>选择</w:t>")
        + "</mc:Choice><mc:Fallback>"
        + run("<w:t>备用</w:t>")
        + "</mc:Fallback></mc:AlternateContent></w:p>"
    )
    text_box = "<w:p>" + run("<w:t>前</w:t>") + run("<w:pict><w:txbxContent>" + p("框内") + "</w:txbxContent></w:pict>")
    text_box += run("<w:t>后</w:t>") + "</w:p>"
    paragraphs = [plain, deleted, alternate, text_box]
    cells = "".join(f"<w:tc>{x}</w:tc>" for x in paragraphs)
    body = "".join(paragraphs) + f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>"
    assert lines(read(make_docx(body))) == [
        "行政许可 12",
        "A-B",
        "规章3",
        "其他选择",
        "前",
        "框内",
        "后",
        "",
        "行政许可 12 A-B\t规章3\t其他选择\t前框内后",
        "",
    ]


def test_docx_headings_numbered_by_word_read_as_shown() -> None:
    """Seed 000 with its section headings numbered by Word's list numbering (the numerals only in
    word/numbering.xml): the text has them as Word shows them, and the report reads to the seed's gold."""
    import gxgk
    from gold import differences, load

    numbered = read_path(FIXTURES / "seed000-numbered.docx").text
    assert "一、 总体情况" in numbered and "六、 其他需要报告的事项" in numbered
    assert numbered.replace("、 ", "、") == read_path(FIXTURES / "seed000.docx").text
    (gold_path,) = _paths.GOLD.glob("000_*.json")
    report = gxgk.parse(FIXTURES / "seed000-numbered.docx")
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert [d for d in differences(load(gold_path), report) if not d.startswith(("agency", "year"))] == []


def _numbered(text: str, style: str = "", num: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + num
    return f'<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _num(num_id: int, ilvl: int | None = None) -> str:
    level = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    return f'<w:numPr>{level}<w:numId w:val="{num_id}"/></w:numPr>'


def test_docx_list_numbering() -> None:
    """Numbering by style (through w:basedOn) and by paragraph, a deeper level restarting, a list
    instance sharing the counters of its abstract numbering with a start override, w:numId 0, bullets,
    w:suff, and numbered paragraphs in table cells (by paragraph, by style; a table with none), counted in
    document order."""
    levels = (
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>'
        '<w:suff w:val="space"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>'
        '<w:lvl w:ilvl="3"><w:start w:val="3"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%4"/>'
        "</w:lvl>"
    )
    numbering = (
        f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="7">{levels}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="7"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num></w:numbering>'
    )
    styles = (
        f'<w:styles xmlns:w="{W_NS}">'
        '<w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
        "</w:style>"
        '<w:style w:type="paragraph" w:styleId="H1x"><w:basedOn w:val="H1"/></w:style></w:styles>'
    )
    cell = f"<w:tc>{_numbered('属于国家秘密', num=_num(1, 1))}</w:tc><w:tc>{p('0')}</w:tc>"
    body = "".join(
        [
            _numbered("总体情况", style="H1"),
            _numbered("a", num=_num(1, 1)),
            _numbered("b", num=_num(1, 1)),
            _numbered("主动公开", style="H1x"),
            _numbered("c", num=_num(1, 1)),
            _numbered("d", num=_num(1, 2)),
            _numbered("e", num=_num(1, 3)),
            _numbered("不编号", style="H1", num=_num(0)),
            _numbered("收到和处理", num=_num(2, 0)),
            f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>",
            f"<w:tbl><w:tr><w:tc>{_numbered('不编号', style='Plain')}</w:tc><w:tc>{p('1')}</w:tc></w:tr></w:tbl>",
            f"<w:tbl><w:tr><w:tc>{_numbered('依申请', style='H1x')}</w:tc><w:tc>{p('2')}</w:tc></w:tr></w:tbl>",
        ]
    )
    data = make_docx(body, extra={"word/numbering.xml": numbering.encode(), "word/styles.xml": styles.encode()})
    assert [line for line in read(data).text.split("\n") if line] == [
        "一、总体情况",
        "一.1 a",
        "一.2 b",
        "二、主动公开",
        "二.1 c",
        "d",
        "③ e",
        "不编号",
        "五、收到和处理",
        "五.1 属于国家秘密\t0",
        "不编号\t1",
        "六、依申请\t2",
    ]


def test_docx_external_entity_is_refused() -> None:
    prolog = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(UnreadableError, match="DTD") as info:
        read(make_docx(p("&e;"), prolog=prolog))
    assert "root:" not in str(info.value)


def test_docx_zip_bomb_is_refused_before_unpacking() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/bomb.xml", "w") as member:
            chunk = b"\0" * 2**20
            for _ in range(64):
                member.write(chunk)
    data = buf.getvalue()
    assert len(data) < 2**20
    with pytest.raises(InputTooLargeError, match="compression_ratio"):
        read(data)
    with pytest.raises(InputTooLargeError, match="max_docx_uncompressed"):
        read(data, limits=Limits(max_docx_uncompressed=2**20, max_compression_ratio=10**6))


def test_xml_file_is_not_read() -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(UnsupportedFormatError, match="XML"):
        read(xml)


# ---------------------------------------------------------------------------------------------------
# Text and markdown


def test_text_encodings() -> None:
    text = "一、总体情况\n规章\t0\t0\t0\n"
    assert read(text.encode()).encoding == "utf-8"
    bom = read(b"\xef\xbb\xbf" + text.encode())
    assert bom.encoding == "utf-8" and bom.text == text
    gbk = read(text.encode("gbk"))
    assert gbk.encoding == "gb18030" and gbk.text == text and gbk.kind == "text"
    assert read(text.replace("\n", "\r\n").encode()).text == text
    assert read(text.replace("\n", "\r").encode()).text == text


@pytest.mark.parametrize(
    "layout", [*sorted(_paths.SEEDS.glob("*.txt")), *sorted(_paths.REAL.glob("*-20[12]?.txt"))], ids=lambda p: p.name
)
@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_text_given_as_str_reads_as_its_file_does_whatever_its_line_breaks(layout: pathlib.Path, newline: str) -> None:
    """Text handed to gxgk.parse as a str, with Windows or old Mac (Word's paragraph mark) line breaks,
    gives the cells, values and positions its file gives."""
    import gxgk

    text = layout.read_text(encoding="utf-8")
    assert "\r" not in text
    expected = gxgk.parse(text).cells()
    assert expected and dict(gxgk.parse(text.replace("\n", newline)).cells()) == dict(expected)


def test_markdown_is_recognised() -> None:
    md = "二、主动公开政府信息情况\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n"
    doc = read(md.encode())
    assert doc.kind == "markdown" and doc.text == md


@pytest.mark.parametrize(
    "junk",
    [bytes(range(256)) * 8, b"\x00\x01\x02binary\x00", b"\x81\x30" + bytes([0x80, 0xFF]) * 200],
)
def test_binary_junk_is_unreadable(junk: bytes) -> None:
    with pytest.raises(UnreadableError):
        read(junk)


def test_text_with_words_bullets_is_text() -> None:
    """Text copied out of a Word document or its PDF writes a list's bullet as U+F0B7 (the Symbol font's
    bullet, a private-use character): a site's navigation, a bullet a line, was refused as binary data."""
    text = (
        "当前位置：\n" + "\uf0b7 首页\n\uf0b7 政务公开\n\uf0b7 政府信息公开年报\n" * 40 + "二、主动公开政府信息情况\n"
    )
    assert read(text.encode()).text == text
    with pytest.raises(UnreadableError):  # other private-use characters as often still mean binary data
        read(text.replace("\uf0b7", "\ue5b7").encode())


def test_empty_input() -> None:
    with pytest.raises(UnreadableError, match="empty"):
        read(b"  \n")


# ---------------------------------------------------------------------------------------------------
# Types gxgk does not read, limits, missing extras


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, ".doc"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 64, "JPEG"),
        (b"GIF89a" + b"\0" * 64, "GIF"),
    ],
)
def test_unsupported_types_say_what_they_are(tmp_path: pathlib.Path, head: bytes, what: str) -> None:
    path = tmp_path / "report.pdf"  # the extension is a lie
    path.write_bytes(head)
    with pytest.raises(UnsupportedFormatError) as info:
        read_path(path)
    message = str(info.value)
    assert what in message and ".docx" in message and ".pdf" in message and "\n" not in message


def test_other_zip_is_unsupported() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormatError, match="xlsx"):
        read(buf.getvalue())


def test_huge_file_refused_from_its_size(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(200 * 2**20)  # sparse: nothing is written or read
    with pytest.raises(InputTooLargeError, match="max_bytes"):
        read_path(path)


def test_limits_are_configurable() -> None:
    with pytest.raises(InputTooLargeError, match="max_bytes"):
        read(b"x" * 100, limits=Limits(max_bytes=10))
    with pytest.raises(InputTooLargeError, match="max_text_chars"):
        read("规章\t0\n".encode() * 10, limits=Limits(max_text_chars=20))


def test_missing_file() -> None:
    with pytest.raises(UnreadableError, match="cannot read"):
        read_path("/nonexistent/report.pdf")


def test_missing_extras_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("lxml", "lxml.html", "lxml.etree"):
        monkeypatch.setitem(__import__("sys").modules, module, None)
    with pytest.raises(MissingExtraError, match=r"gxgk\[html\]"):
        read(html_doc("<p>x</p>"))
    with pytest.raises(MissingExtraError, match=r"gxgk\[docx\]"):
        read(make_docx(p("x")))
    for module in ("pypdfium2", "pypdfium2.raw"):
        monkeypatch.setitem(__import__("sys").modules, module, None)
    with pytest.raises(MissingExtraError, match=r"gxgk\[pdf\]"):
        read_path(FIXTURES / "seed000.pdf")


def blank_pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium  # the pdf extra is part of the test extra

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_pdf_ruled_cells_merged_across_rows_and_columns() -> None:
    """Cells from ruling lines, with a cell merged over two rows and one over two columns, and the
    characters of each row put in its cells (a merged cell's characters stand in the rows below its top)."""
    from gxgk.readers.pdf import _as_table, _Cell, _cells, _Char, _page_blocks

    horizontal = [(0.0, 0.0, 150.0), (20.0, 0.0, 150.0), (40.0, 50.0, 150.0), (60.0, 0.0, 150.0)]
    vertical = [(0.0, 0.0, 60.0), (50.0, 0.0, 60.0), (100.0, 20.0, 60.0), (150.0, 0.0, 60.0)]
    cells = _cells(horizontal, vertical)
    assert sorted(cells) == sorted(
        [
            _Cell(0.0, 0.0, 50.0, 20.0),
            _Cell(50.0, 0.0, 150.0, 20.0),  # two columns
            _Cell(0.0, 20.0, 50.0, 60.0),  # two rows
            _Cell(50.0, 20.0, 100.0, 40.0),
            _Cell(100.0, 20.0, 150.0, 40.0),
            _Cell(50.0, 40.0, 100.0, 60.0),
            _Cell(100.0, 40.0, 150.0, 60.0),
        ]
    )
    table = _as_table(cells)
    assert table is not None

    def char(text: str, x: float, y: float) -> _Char:
        return _Char(text, x - 4, x + 4, y - 5, y + 5, 10.0)

    chars = [
        char("甲", 25, 10),
        char("乙", 100, 10),
        char("丙", 20, 50),  # low in the merged cell
        char("丁", 30, 50),
        char("1", 75, 30),
        char("2", 125, 30),
        char("3", 75, 50),
        char("4", 125, 50),
    ]
    [block] = _page_blocks(chars, [table])
    assert block.table and block.lines == ["甲\t乙", "丙丁\t1\t2", "3\t4"]


def test_pdf_underlines_are_not_ruling_lines() -> None:
    """A label underlined in its cell (a link, an emphasis) has a horizontal segment under each of its
    lines: within the characters' height, along them. Those are not rules (taken for rules, they cut
    the cell into one row per line of the label); a rule between two lines of text is one."""
    from gxgk.readers.pdf import _Char, _rules

    chars = [_Char(t, 10 + 10 * i, 20 + 10 * i, 0.0, 10.0, 10.0) for i, t in enumerate("申请人无正")]
    chars += [_Char(t, 10 + 10 * i, 20 + 10 * i, 12.0, 22.0, 10.0) for i, t in enumerate("当理由逾期")]
    underlines = [(9.8, 10.0, 60.0), (22.3, 10.0, 60.0)]  # under each line, 0.3 below the second's box
    strike = (5.0, 10.0, 60.0)  # through the first line
    rule = (30.0, 0.0, 100.0)  # under the cell
    between = (11.5, 0.0, 100.0)  # between the lines, 1.5 below the first's boxes: no character holds it
    assert _rules([*underlines, strike, rule, between], chars) == [rule, between]
    # a rule crossing one character's tall box along a small part of its length is still a rule
    tall = _Char("理", 40.0, 50.0, 0.0, 40.0, 10.0)
    assert _rules([rule], [*chars, tall]) == [rule]


def test_pdf_row_cut_by_a_page_break_under_merged_cells_is_joined() -> None:
    """A row cut in two by a page break, where the page it runs on to opens with the blank cells that carry
    the merged group cells of the page before: the continuation, those cells left out, joins the row."""
    from gxgk.readers.pdf import _assemble, _Block

    columns = ((177.0, 272.0), (272.0, 321.0), (321.0, 357.0))
    before = _Block(500.0, True, ["2.没有现成信\t0\t1"], last=columns)
    after = _Block(
        50.0,
        True,
        ["\t\t息需要另行制作\t\t", "3.补正后申请内容仍不明确\t2\t3"],
        2,
        ((57.0, 129.0), (129.0, 177.0), *columns),
    )
    assert _assemble([[before], [after]]).splitlines() == [
        "2.没有现成信息需要另行制作\t0\t1",
        "3.补正后申请内容仍不明确\t2\t3",
    ]


def test_scanned_pdf_without_text_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormatError, match="no text layer"):
        read(blank_pdf(1))


def test_pdf_page_limit() -> None:
    with pytest.raises(InputTooLargeError, match="max_pdf_pages"):
        read(blank_pdf(3), limits=Limits(max_pdf_pages=2))


def test_damaged_pdf() -> None:
    with pytest.raises(UnreadableError):
        read(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer garbage")


def test_errors_are_gxgk_errors() -> None:
    assert issubclass(UnsupportedFormatError, GxgkError)


# ---------------------------------------------------------------------------------------------------
# The real documents in ../shared/real


@needs_real
def test_real_html_table_rows() -> None:
    doc = read_path(REAL / "pingtan-2021.html")
    assert doc.kind == "html" and doc.encoding == "utf-8"
    text_lines = lines(doc)
    assert text_lines[0] == "平潭综合实验区2021年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会"
    assert "行政规范性文件\t69\t3\t665" in text_lines
    assert "（四）无法提供\t1.本机关不掌握相关政府信息\t22\t0\t0\t0\t0\t3\t25" in text_lines
    assert "1\t0\t2\t0\t3\t12\t0\t0\t0\t12\t0\t0\t0\t0\t0" in text_lines


@needs_real
def test_real_pdf_tables_across_pages_and_furniture() -> None:
    doc = read_path(REAL / "hongze-2024.pdf")
    assert doc.kind == "pdf" and doc.pages == 5
    text_lines = lines(doc)
    assert "三、本年度办理结果\t（一）予以公开\t50\t0\t0\t0\t0\t0\t50" in text_lines
    i = text_lines.index("（四）无法提供\t1.本机关不掌握相关政府信息\t31\t0\t0\t0\t0\t0\t31")
    assert text_lines[i + 1] == "2.没有现成信息需要另行制作\t1\t0\t0\t0\t0\t0\t1"  # on the next page
    assert "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉" in text_lines
    assert not any(line.strip() in {"- 1 -", "- 3 -", "-1-"} for line in text_lines)


def test_real_page_printed_to_pdf_with_underlined_labels() -> None:
    """An agency's page printed to PDF by LibreOffice (tests/fixtures/pingtan-2022.pdf), its labels
    underlined and wrapped in narrow cells: each row is one line, its label whole."""
    text_lines = lines(read_path(FIXTURES / "pingtan-2022.pdf"))
    assert (
        "（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t2\t0\t0\t0\t0\t0\t2"
        in text_lines
    )
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0" in text_lines
    assert "2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0" in text_lines  # across a page break


@needs_real
def test_real_docx_blank_template() -> None:
    doc = read_path(REAL / "template-2021-blank.docx")
    text_lines = lines(doc)
    assert "三、本年度办理结果\t（一）予以公开" + "\t" * 7 in text_lines
    assert "\t" * 14 in text_lines  # section 四's row of 15 blank cells keeps its place
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" + "\t" * 7 in text_lines


def test_page_handed_over_as_text_is_read_as_a_page() -> None:
    """A page fetched as text (a ``str``) is read as the HTML reader reads its bytes, whatever charset it
    declares (it is decoded already): seed000.html declares GB18030."""
    from gxgk.source import load

    path = FIXTURES / "seed000.html"
    page = path.read_bytes().decode("gb18030")
    assert "charset=gb18030" in page
    assert load(page)[0] == read_path(path).text
    # text that holds a table further on is text: its tables are read, its lines kept
    assert load("前文\n" * 100 + "<table><tr><td>规章</td><td>3</td></tr></table>")[0].endswith("前文\n\n规章\t3\n")
