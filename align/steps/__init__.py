"""The pipeline's steps, in the order a comparison runs them (`align.pipeline` runs them):

read (`read/`: text files, web pages, DOCX; TSV, TMX, XLIFF, PO) -> segment (`segment.py`)
-> embed (`embed/`: encoders and the embedding cache) -> align (`aligner/`)
-> classify (`boilerplate.py`, `classify/`, with the text checks of `checks/`)
-> report (`report.py`: the typed report and its JSON; `report_diff.py` compares two).

Each step is a pure function of the data the one before hands it (`align.model`); none
imports a later step.
"""
