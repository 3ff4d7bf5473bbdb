"""Everything `align compare --format` can write beside report.json, each from the `Report` alone.

| format | file            | for                                                                  |
| ------ | --------------- | -------------------------------------------------------------------- |
| json   | report.json     | the report itself (`align.steps.report.dumps`)                             |
| html   | report.html     | the side-by-side review page (`align.outputs.html`)                          |
| jsonl  | report.jsonl    | one record per alignment unit, then one per finding: grep, streaming |
| md     | summary.md      | a CI job summary or PR comment                                       |
| tmx    | alignment.tmx   | TMX 1.4 translation memory of the units that are renderings          |
| tsv    | alignment.tsv   | every unit: source, translation, type, similarity                    |
| xlsx   | review.xlsx     | findings and units in Excel, with a decision column (`align.outputs.xlsx`)   |

The chosen files are written as one set, all or nothing (temporary files, renamed
when all are written), and each is a pure function of the report, so the same
report gives the same bytes.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Alignment, Finding, FindingKind, Severity, key_order
from ..steps.report import Report, check_writable, finding_json, write_all_atomically

FORMATS: dict[str, str] = {
    "json": "report.json",
    "html": "report.html",
    "jsonl": "report.jsonl",
    "md": "summary.md",
    "tmx": "alignment.tmx",
    "tsv": "alignment.tsv",
    "xlsx": "review.xlsx",
}
DEFAULT_FORMATS = frozenset({"html", "json"})
MD_MAX_FINDINGS = 50  # a PR comment stays readable; the rest is in report.html
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse_formats(text: str) -> set[str]:
    """'html,json' -> {'html', 'json'}; an unknown name is a usage error naming the known ones."""
    names = {t.strip().lower() for t in text.split(",") if t.strip()}
    unknown = sorted(names - FORMATS.keys())
    if unknown or not names:
        raise InputError(f"unknown --format {', '.join(unknown) or repr(text)}; choose from {', '.join(FORMATS)}")
    return names


def output_paths(out_dir: Path, formats: set[str]) -> list[Path]:
    """The files `write_outputs` would write, refused now (InputError) if one cannot be written."""
    paths = [out_dir / filename for name, filename in FORMATS.items() if name in formats]
    for path in paths:
        check_writable(path)
    return paths


def write_outputs(report: Report, out_dir: Path, formats: set[str]) -> list[Path]:
    """Write the chosen formats into `out_dir` (in the order of FORMATS) and return their paths."""
    unknown = sorted(set(formats) - FORMATS.keys())
    if unknown:
        raise InputError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    # Render everything first, then write the set all or nothing: a failing renderer or an
    # unwritable target leaves the previous reports as they were.
    files = {out_dir / filename: RENDERERS[name](report) for name, filename in FORMATS.items() if name in formats}
    # The text a web page or DOCX gave, which the report's offsets index, goes with the set.
    files.update({out_dir / filename: text for filename, text in report.extracted_texts.items()})
    write_all_atomically(files)
    return list(files)


# --- shared --------------------------------------------------------------------


def _joined(texts: list[str], indices: Iterable[int]) -> str:
    """A unit's text as the classifier sees it: its segments joined by one space."""
    return " ".join(texts[i] for i in indices if 0 <= i < len(texts))


def _tool_version(report: Report) -> str:
    m = re.search(r"(?:^|\|)align:([^|]+)", report.signature)
    return m.group(1) if m else "unknown"


# --- jsonl ---------------------------------------------------------------------


def render_jsonl(report: Report) -> str:
    """One JSON object per line: {"type": "alignment", ...} per unit, then {"type": "finding", ...} per finding."""
    pair = report.pair
    src, tgt = report.texts("src"), report.texts("tgt")
    lines: list[dict[str, Any]] = []
    for k, a in enumerate(report.alignments):
        lines.append({
            "type": "alignment", "pair": pair, "index": k, "kind": a.kind,
            "src": list(a.src), "tgt": list(a.tgt), "similarity": a.similarity,
            "source": _joined(src, a.src), "translation": _joined(tgt, a.tgt),
        })
    for f in report.findings:
        lines.append({"type": "finding", "pair": pair, **finding_json(f)})
    return "".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in lines)


# --- Markdown ------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """Text that stays text in GitHub Markdown, in a table cell too.

    No raw HTML (<, >, & become entities), no emphasis, code, links or cell
    breaks (backslash escapes), no @mentions or #references (entities), no line breaks.
    """
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("#", "&#35;").replace("@", "&#64;")


def _excerpt(text: str, start: int = 0, end: int | None = None, width: int = 140) -> str:
    """About `width` characters of `text` centred on [start, end), with ellipses where cut."""
    end = len(text) if end is None else max(start, min(end, len(text)))
    if len(text) <= width:
        return text
    a = max(0, min(start - max(0, (width - (end - start)) // 2), len(text) - width))
    b = min(len(text), a + width)
    return ("…" if a > 0 else "") + text[a:b].strip() + ("…" if b < len(text) else "")


def _finding_excerpt(report: Report, f: Finding) -> str:
    src, tgt = report.texts("src"), report.texts("tgt")
    if f.highlights:
        side, segment, start, end = f.highlights[0]
        texts = src if side == "src" else tgt
        if 0 <= segment < len(texts):
            return _excerpt(texts[segment], start, end)
    if f.kind == FindingKind.ADDITION or not f.src:
        return _excerpt(_joined(tgt, f.tgt))
    return _excerpt(_joined(src, f.src))


def where(f: Finding) -> str:
    """Which segments a finding touches: 'src 3', 'src 3–5, tgt 2'."""
    parts = []
    for idx, name in ((f.src, "src"), (f.tgt, "tgt")):
        if idx:
            lo, hi = min(idx), max(idx)
            parts.append(f"{name} {lo}" if lo == hi else f"{name} {lo}–{hi}")
    return ", ".join(parts)


def render_md(report: Report) -> str:
    """A short Markdown summary: verdict, coverage, counts by kind and severity, then the major findings."""
    s = report.summary
    cov = s.coverage
    out = [
        f"### align: {md_escape(report.pair)}: {md_escape(report.verdict.label)}",
        "",
        f"{md_escape(report.inputs.source.lang)} → {md_escape(report.inputs.translation.lang)} · model "
        f"`{report.model.replace('`', '')}`",
        "",
        "| | source | translation |",
        "| --- | ---: | ---: |",
        f"| coverage | {100 * cov.source:.1f}% | {100 * cov.translation:.1f}% |",
        f"| segments | {s.segments.source} | {s.segments.translation} |",
        "",
    ]
    counts = s.findings
    if counts:
        out += ["| finding | " + " | ".join(Severity) + " |", "| --- |" + " ---: |" * len(Severity)]
        for key in sorted(counts, key=key_order):
            out.append(f"| {md_escape(key)} | " + " | ".join(str(counts[key].get(v, "")) for v in Severity) + " |")
        out.append("")
    major = [f for f in report.findings if f.severity == Severity.MAJOR]
    out.append(f"**Major findings: {len(major)}**" if major else "No major findings.")
    if major:
        out.append("")
        for n, f in enumerate(major[:MD_MAX_FINDINGS], 1):
            out.append(f"{n}. **{md_escape(f.key)}** ({md_escape(where(f))}): {md_escape(f.detail)}"
                       f" — “{md_escape(_finding_excerpt(report, f))}”")
        if len(major) > MD_MAX_FINDINGS:
            out.append(f"\n… and {len(major) - MD_MAX_FINDINGS} more in report.html.")
    return "\n".join(out) + "\n"


# --- TMX -----------------------------------------------------------------------


def tmx_units(report: Report) -> list[Alignment]:
    """The alignments that are renderings: both sides linked, and each side has a segment the classifier
    counts as rendered (a link below the similarity floor is not a translation and would poison a memory)."""
    src_status, tgt_status = report.statuses("src"), report.statuses("tgt")
    ok_src, ok_tgt = {"rendered", "partial"}, {"rendered", "partially-added"}
    units = []
    for a in report.alignments:
        src = tuple(i for i in a.src if 0 <= i < len(src_status))
        tgt = tuple(j for j in a.tgt if 0 <= j < len(tgt_status))
        if src and tgt and any(src_status[i] in ok_src for i in src) and any(tgt_status[j] in ok_tgt for j in tgt):
            units.append(Alignment(src, tgt, a.kind, a.similarity))
    return units


def render_tmx(report: Report) -> str:
    """TMX 1.4 (sentence-level), built with ElementTree; source language is srclang."""
    src_lang = report.inputs.source.lang or "und"
    tgt_lang = report.inputs.translation.lang or "und"
    src, tgt = report.texts("src"), report.texts("tgt")
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(root, "header", {
        "creationtool": "align", "creationtoolversion": _tool_version(report), "segtype": "sentence",
        "o-tmf": "align-report", "adminlang": "en", "srclang": src_lang, "datatype": "plaintext",
    })
    ET.SubElement(header, "prop", type="x-pair").text = report.pair
    body = ET.SubElement(root, "body")
    for k, a in enumerate(tmx_units(report)):
        tu = ET.SubElement(body, "tu", tuid=f"{report.pair}:{k}")
        ET.SubElement(tu, "prop", type="x-align-type").text = a.kind
        if a.similarity is not None:
            ET.SubElement(tu, "prop", type="x-similarity").text = f"{float(a.similarity):.4f}"
        ET.SubElement(tu, "prop", type="x-source-segments").text = " ".join(map(str, a.src))
        ET.SubElement(tu, "prop", type="x-translation-segments").text = " ".join(map(str, a.tgt))
        for lang, texts, idx in ((src_lang, src, a.src), (tgt_lang, tgt, a.tgt)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = xml_text(_joined(texts, idx))
    ET.indent(root, space=" ")
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + xml + "\n"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry at all (ElementTree would write them and break the file)."""
    return _XML_BAD.sub("", text)


# --- TSV -----------------------------------------------------------------------


def tsv_cell(text: str) -> str:
    """Backslash-escape the characters that would break a TSV row (reversible)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def render_tsv(report: Report) -> str:
    """Every alignment unit, in report order: source, translation, type, similarity (empty for null links)."""
    src, tgt = report.texts("src"), report.texts("tgt")
    rows = ["source\ttranslation\ttype\tsimilarity"]
    for a in report.alignments:
        sim = a.similarity
        rows.append("\t".join([
            tsv_cell(_joined(src, a.src)), tsv_cell(_joined(tgt, a.tgt)),
            tsv_cell(a.kind), "" if sim is None else f"{float(sim):.4f}",
        ]))
    return "\n".join(rows) + "\n"


def _render_json(report: Report) -> str:
    return report.dumps()


def _render_html(report: Report) -> str:
    from .html import render_html  # jinja2 loads only when a page is wanted

    return render_html(report)


def _render_xlsx(report: Report) -> bytes:
    from .xlsx import render_xlsx  # openpyxl loads only when a workbook is wanted

    return render_xlsx(report)


RENDERERS: dict[str, Callable[[Report], str | bytes]] = {
    "json": _render_json,
    "html": _render_html,
    "jsonl": render_jsonl,
    "md": render_md,
    "tmx": render_tmx,
    "tsv": render_tsv,
    "xlsx": _render_xlsx,
}
