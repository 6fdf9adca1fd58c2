"""CI-sized run of ``scripts/fuzz_email_parsers.py``: every parser raises only its typed parse error."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parents[2] / "scripts" / "fuzz_email_parsers.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_email_parsers", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZ = _script()


@pytest.mark.parametrize("parser", sorted(FUZZ.TARGETS))
def test_parser_raises_only_typed_errors(parser: str) -> None:
    tried, errors = FUZZ.fuzz(parser, 400)
    assert tried >= 300
    assert 0 < errors < tried  # both valid records and typed errors were produced


def test_an_untyped_exception_is_caught_by_the_property(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> object:
        raise IndexError("boom")

    monkeypatch.setitem(FUZZ.TARGETS, "spf", (broken, FUZZ.TARGETS["spf"][1]))
    with pytest.raises(IndexError):
        FUZZ.fuzz("spf", 5)
