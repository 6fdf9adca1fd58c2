"""Model prices, dated: the packaged ``data/prices.toml`` plus the user's override file.

A price without its date is a guess presented as a fact, so every ``PriceBook`` carries the day it was
checked and says when it is stale; a user file (``--prices``) replaces models by id and brings its own date.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelPrice(_Data):
    id: str = Field(min_length=1)
    provider: str = ""
    input: float = Field(ge=0, description="USD per million input tokens")
    output: float = Field(ge=0, description="USD per million output tokens")
    source: str = ""
    checked: date | None = None
    """When this price was read (the book's date unless the override file gives its own)."""


class RangeFactors(_Data):
    traffic: float = Field(gt=0)
    output_tokens: float = Field(gt=0)
    cache_hit: float = Field(ge=0)
    error_rate: float = Field(ge=0)


class PriceBook(_Data):
    checked: date
    stale_after_days: int = Field(default=120, gt=0)
    model: tuple[ModelPrice, ...] = ()
    range: dict[str, RangeFactors] = Field(default_factory=dict)

    def price(self, model_id: str) -> ModelPrice:
        for model in self.model:
            if model.id == model_id:
                return model if model.checked else model.model_copy(update={"checked": self.checked})
        known = ", ".join(m.id for m in self.model)
        raise KeyError(f"no price for model {model_id!r}; known: {known} (add it with --prices FILE)")

    def age_days(self, today: date) -> int:
        return (today - self.checked).days

    def stale(self, today: date) -> bool:
        return self.age_days(today) > self.stale_after_days

    def merged(self, override: PriceBook) -> PriceBook:
        """This book with ``override``'s models replacing (or adding to) ours, each keeping its own date."""
        dated = {
            m.id: m.model_copy(update={"checked": m.checked or override.checked}) for m in override.model
        }
        kept = tuple(m if m.checked else m.model_copy(update={"checked": self.checked}) for m in self.model)
        models = tuple(dated.pop(m.id, m) for m in kept) + tuple(dated.values())
        return self.model_copy(update={"model": models, "range": {**self.range, **override.range}})


class PriceFileError(ValueError):
    """A price file that cannot be read: the message names the file and the problem."""


def parse_prices(text: str, where: str = "prices") -> PriceBook:
    try:
        raw: dict[str, Any] = tomllib.loads(text)
        return PriceBook.model_validate(raw)
    except tomllib.TOMLDecodeError as exc:
        raise PriceFileError(f"{where}: not TOML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"])
        raise PriceFileError(f"{where}: {at}: {first['msg']}") from None


@functools.cache
def packaged_prices() -> PriceBook:
    text = resources.files("launchready.cost").joinpath("data", "prices.toml").read_text(encoding="utf-8")
    return parse_prices(text, "launchready/cost/data/prices.toml")


def load_prices(override: Path | None = None) -> PriceBook:
    book = packaged_prices()
    if override is None:
        return book
    try:
        text = override.read_text(encoding="utf-8")
    except OSError as exc:
        raise PriceFileError(f"{override}: {exc.strerror or exc}") from None
    return book.merged(parse_prices(text, str(override)))
