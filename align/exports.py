"""Everything `align compare --format` can write beside report.json, each from the report dict alone.

| format | file            | for                                                                  |
| ------ | --------------- | -------------------------------------------------------------------- |
| json   | report.json     | the report itself (`align.report.dumps`)                             |
| html   | report.html     | the side-by-side review page (`align.html`)                          |
| jsonl  | report.jsonl    | one record per alignment unit, then one per finding: grep, streaming |
| md     | summary.md      | a CI job summary or PR comment                                       |
| tmx    | alignment.tmx   | TMX 1.4 translation memory of the units that are renderings          |
| tsv    | alignment.tsv   | every unit: source, translation, type, similarity                    |
| xlsx   | review.xlsx     | findings and units in Excel, with a decision column (`align.xlsx`)   |

Every file is written atomically (temporary file, then rename) and is a pure
function of the report, so the same report gives the same bytes.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import InputError
from .report import dumps, write_atomically

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


def write_outputs(report: dict[str, Any], out_dir: Path, formats: set[str]) -> list[Path]:
    """Write the chosen formats into `out_dir` (in the order of FORMATS) and return their paths."""
    unknown = sorted(set(formats) - FORMATS.keys())
    if unknown:
        raise InputError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    written = []
    for name, filename in FORMATS.items():
        if name in formats:
            path = out_dir / filename
            write_atomically(path, RENDERERS[name](report))
            written.append(path)
    return written


# --- shared --------------------------------------------------------------------


def _texts(report: dict[str, Any], side: str) -> list[str]:
    return [str(s.get("text", "")) for s in report.get("segments", {}).get("source" if side == "src" else "translation", [])]


def _joined(texts: list[str], indices: Iterable[int]) -> str:
    """A unit's text as the classifier sees it: its segments joined by one space."""
    return " ".join(texts[i] for i in indices if 0 <= i < len(texts))


def _statuses(report: dict[str, Any], side: str) -> list[str]:
    return [str(s.get("status", "rendered")) for s in report.get("segments", {}).get("source" if side == "src" else "translation", [])]


def _tool_version(report: dict[str, Any]) -> str:
    m = re.search(r"(?:^|\|)align:([^|]+)", str(report.get("signature", "")))
    return m.group(1) if m else "unknown"


# --- jsonl ---------------------------------------------------------------------


def render_jsonl(report: dict[str, Any]) -> str:
    """One JSON object per line: {"type": "alignment", ...} per unit, then {"type": "finding", ...} per finding."""
    pair = report.get("pair", "")
    src, tgt = _texts(report, "src"), _texts(report, "tgt")
    lines = []
    for k, a in enumerate(report.get("alignments", [])):
        lines.append({
            "type": "alignment", "pair": pair, "index": k, "kind": a.get("type"),
            "src": a.get("src", []), "tgt": a.get("tgt", []), "similarity": a.get("similarity"),
            "source": _joined(src, a.get("src", [])), "translation": _joined(tgt, a.get("tgt", [])),
        })
    for f in report.get("findings", []):
        lines.append({"type": "finding", "pair": pair, **{k: v for k, v in f.items() if k != "type"}})
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


def _finding_excerpt(report: dict[str, Any], f: dict[str, Any]) -> str:
    src, tgt = _texts(report, "src"), _texts(report, "tgt")
    hl = (f.get("highlights") or [None])[0]
    if hl:
        texts = src if hl["side"] == "src" else tgt
        if 0 <= hl["segment"] < len(texts):
            return _excerpt(texts[hl["segment"]], hl["start"], hl["end"])
    if f.get("kind") == "addition" or not f.get("src"):
        return _excerpt(_joined(tgt, f.get("tgt", [])))
    return _excerpt(_joined(src, f.get("src", [])))


def _where(f: dict[str, Any]) -> str:
    parts = []
    for side, name in (("src", "src"), ("tgt", "tgt")):
        idx = f.get(side) or []
        if idx:
            lo, hi = min(idx), max(idx)
            parts.append(f"{name} {lo}" if lo == hi else f"{name} {lo}–{hi}")
    return ", ".join(parts)


def render_md(report: dict[str, Any]) -> str:
    """A short Markdown summary: verdict, coverage, counts by kind and severity, then the major findings."""
    s = report.get("summary", {})
    verdict = report.get("verdict") or {}
    src_lang = report.get("inputs", {}).get("source", {}).get("lang", "?")
    tgt_lang = report.get("inputs", {}).get("translation", {}).get("lang", "?")
    cov = s.get("coverage", {})
    pct = lambda v: f"{100 * v:.1f}%" if isinstance(v, (int, float)) else "—"  # noqa: E731
    out = [
        f"### align: {md_escape(report.get('pair', ''))}: {md_escape(verdict.get('label', 'no verdict'))}",
        "",
        f"{md_escape(src_lang)} → {md_escape(tgt_lang)} · model `{str(report.get('model', '')).replace('`', '')}`",
        "",
        "| | source | translation |",
        "| --- | ---: | ---: |",
        f"| coverage | {pct(cov.get('source'))} | {pct(cov.get('translation'))} |",
        f"| segments | {s.get('segments', {}).get('source', '—')} | {s.get('segments', {}).get('translation', '—')} |",
        "",
    ]
    counts = s.get("findings") or {}
    if counts:
        sevs = ("major", "minor", "info")
        out += ["| finding | major | minor | info |", "| --- | ---: | ---: | ---: |"]
        for key in sorted(counts, key=_kind_key):
            out.append(f"| {md_escape(key)} | " + " | ".join(str(counts[key].get(v, "")) for v in sevs) + " |")
        out.append("")
    major = [f for f in report.get("findings", []) if f.get("severity") == "major"]
    out.append(f"**Major findings: {len(major)}**" if major else "No major findings.")
    if major:
        out.append("")
        for n, f in enumerate(major[:MD_MAX_FINDINGS], 1):
            kind = f"drift.{f.get('check')}" if f.get("kind") == "drift" else str(f.get("kind"))
            out.append(f"{n}. **{md_escape(kind)}** ({md_escape(_where(f))}): {md_escape(f.get('detail', ''))}"
                       f" — “{md_escape(_finding_excerpt(report, f))}”")
        if len(major) > MD_MAX_FINDINGS:
            out.append(f"\n… and {len(major) - MD_MAX_FINDINGS} more in report.html.")
    return "\n".join(out) + "\n"


def _kind_key(key: str) -> tuple[int, str]:
    order = ("omission", "partial-omission", "addition", "partial-addition", "drift", "boilerplate")
    base = key.split(".", 1)[0]
    return (order.index(base) if base in order else len(order), key)


# --- TMX -----------------------------------------------------------------------


def tmx_units(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The alignments that are renderings: both sides linked, and each side has a segment the classifier
    counts as rendered (a link below the similarity floor is not a translation and would poison a memory)."""
    src_status, tgt_status = _statuses(report, "src"), _statuses(report, "tgt")
    ok_src, ok_tgt = {"rendered", "partial"}, {"rendered", "partially-added"}
    units = []
    for a in report.get("alignments", []):
        src = [i for i in a.get("src", []) if 0 <= i < len(src_status)]
        tgt = [j for j in a.get("tgt", []) if 0 <= j < len(tgt_status)]
        if src and tgt and any(src_status[i] in ok_src for i in src) and any(tgt_status[j] in ok_tgt for j in tgt):
            units.append({**a, "src": src, "tgt": tgt})
    return units


def render_tmx(report: dict[str, Any]) -> str:
    """TMX 1.4 (sentence-level), built with ElementTree; source language is srclang."""
    src_lang = str(report.get("inputs", {}).get("source", {}).get("lang") or "und")
    tgt_lang = str(report.get("inputs", {}).get("translation", {}).get("lang") or "und")
    src, tgt = _texts(report, "src"), _texts(report, "tgt")
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(root, "header", {
        "creationtool": "align", "creationtoolversion": _tool_version(report), "segtype": "sentence",
        "o-tmf": "align-report", "adminlang": "en", "srclang": src_lang, "datatype": "plaintext",
    })
    ET.SubElement(header, "prop", type="x-pair").text = str(report.get("pair", ""))
    body = ET.SubElement(root, "body")
    for k, a in enumerate(tmx_units(report)):
        tu = ET.SubElement(body, "tu", tuid=f"{report.get('pair', '')}:{k}")
        ET.SubElement(tu, "prop", type="x-align-type").text = str(a.get("type", ""))
        if a.get("similarity") is not None:
            ET.SubElement(tu, "prop", type="x-similarity").text = f"{float(a['similarity']):.4f}"
        ET.SubElement(tu, "prop", type="x-source-segments").text = " ".join(map(str, a["src"]))
        ET.SubElement(tu, "prop", type="x-translation-segments").text = " ".join(map(str, a["tgt"]))
        for lang, texts, idx in ((src_lang, src, a["src"]), (tgt_lang, tgt, a["tgt"])):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = _xml_text(_joined(texts, idx))
    ET.indent(root, space=" ")
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + xml + "\n"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry at all (ElementTree would write them and break the file)."""
    return _XML_BAD.sub("", text)


# --- TSV -----------------------------------------------------------------------


def tsv_cell(text: str) -> str:
    """Backslash-escape the characters that would break a TSV row (reversible)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def render_tsv(report: dict[str, Any]) -> str:
    """Every alignment unit, in report order: source, translation, type, similarity (empty for null links)."""
    src, tgt = _texts(report, "src"), _texts(report, "tgt")
    rows = ["source\ttranslation\ttype\tsimilarity"]
    for a in report.get("alignments", []):
        sim = a.get("similarity")
        rows.append("\t".join([
            tsv_cell(_joined(src, a.get("src", []))), tsv_cell(_joined(tgt, a.get("tgt", []))),
            tsv_cell(str(a.get("type", ""))), "" if sim is None else f"{float(sim):.4f}",
        ]))
    return "\n".join(rows) + "\n"


def _render_html(report: dict[str, Any]) -> str:
    from .html import render_html  # jinja2 loads only when a page is wanted

    return render_html(report)


def _render_xlsx(report: dict[str, Any]) -> bytes:
    from .xlsx import render_xlsx  # openpyxl loads only when a workbook is wanted

    return render_xlsx(report)


RENDERERS: dict[str, Callable[[dict[str, Any]], str | bytes]] = {
    "json": dumps,
    "html": _render_html,
    "jsonl": render_jsonl,
    "md": render_md,
    "tmx": render_tmx,
    "tsv": render_tsv,
    "xlsx": _render_xlsx,
}
