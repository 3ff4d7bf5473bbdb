"""What a report is written as: the review page (`html.py`, `templates/`), the Excel QA workbook
(`xlsx.py`), and JSON, JSONL, Markdown, TMX and TSV (`exports.py`, which writes a set all or nothing)."""
