"""Compare an eval run with a previous one (``--baseline prev.json``): what a prompt change broke or fixed.

Cases are matched by id. A new failure is a case that passed before and does not now; fixed is the
reverse. A latency or TTFT shift is reported when the case moved by more than both ``SHIFT_RATIO`` and
``SHIFT_FLOOR_MS``: one run's jitter is not a regression.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from launchready.evals.runner import EvalRun

SHIFT_RATIO = 1.5
SHIFT_FLOOR_MS = 100.0


class Shift(BaseModel):
    id: str
    metric: str
    before_ms: float
    after_ms: float


class Comparison(BaseModel):
    baseline: str
    new_failures: list[str]
    fixed: list[str]
    still_failing: list[str]
    added: list[str]
    removed: list[str]
    shifts: list[Shift]


class BaselineError(ValueError):
    pass


def load_baseline(path: Path) -> EvalRun:
    try:
        return EvalRun.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"--baseline {path}: {exc.strerror or exc}") from None
    except ValidationError as exc:
        raise BaselineError(
            f"--baseline {path}: not an eval result file (launchready eval --format json): {exc.errors()[0]['msg']}"
        ) from None


def _shifted(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return False
    return (after - before > SHIFT_FLOOR_MS and after > before * SHIFT_RATIO) or (
        before - after > SHIFT_FLOOR_MS and before > after * SHIFT_RATIO
    )


def compare(current: EvalRun, previous: EvalRun, baseline: str) -> Comparison:
    before = {c.id: c for c in previous.cases}
    now = {c.id: c for c in current.cases}
    shared = [case_id for case_id in now if case_id in before]
    shifts = []
    for case_id in shared:
        for metric in ("latency_ms", "ttft_ms"):
            old, new = getattr(before[case_id], metric), getattr(now[case_id], metric)
            if _shifted(old, new):
                shifts.append(
                    Shift(id=case_id, metric=metric.removesuffix("_ms"), before_ms=old, after_ms=new)
                )
    return Comparison(
        baseline=baseline,
        new_failures=[i for i in shared if before[i].status == "pass" and now[i].status != "pass"],
        fixed=[i for i in shared if before[i].status != "pass" and now[i].status == "pass"],
        still_failing=[i for i in shared if before[i].status != "pass" and now[i].status != "pass"],
        added=[i for i in now if i not in before],
        removed=[i for i in before if i not in now],
        shifts=shifts,
    )
