"""Next steps for scale, and what not to build yet.

From the saved load run (the first bottleneck, the rate reached), the audit's rate-limit and cache
probes (headroom and hit rate), the cost estimate if one was saved, and the sprint ``launchready score``
recommends. The roadmap's "do not overbuild" list (``data/pack.toml``) is applied to what was found: an
item stays on the list unless a finding it depends on failed.
"""

from __future__ import annotations

from launchready.findings import Status
from launchready.handover.data import pack_text
from launchready.handover.inputs import HandoverInputs
from launchready.handover.model import Claim, Evidence, Missing, Section
from launchready.score import bottlenecks, score_report
from launchready.score.bottleneck import measured_rate

UNMEASURED = "handover.scale.unmeasured"
PROBES = ("perf.ratelimit.chat-missing", "perf.ratelimit.login-missing", "perf.cache.hit-rate-low")


def scale_section(inputs: HandoverInputs, hrefs: dict[str, str | None]) -> Section:
    targets = inputs.config.targets
    claims: list[Claim] = []
    missing: list[Missing] = []
    checked: dict[str, int] = {}
    if inputs.load is not None:
        load = inputs.load.document
        cite = Evidence(f"load run {inputs.load.path.name}", hrefs.get("load"))
        found = bottlenecks(load, targets)
        rate = measured_rate(load)
        checked["load_routes_read"] = len(load.get("routes") or [])
        if found:
            claims.append(
                Claim(
                    f"First bottleneck: {found[0].line}",
                    (cite,),
                    tuple(f"then: {b.line}" for b in found[1:4]),
                )
            )
        else:
            claims.append(
                Claim(
                    f"The load run met every target at {rate or 0:.1f} req/s: no bottleneck yet — raise the rate until one target breaks",
                    (cite,),
                )
            )
    else:
        missing.append(
            Missing(
                UNMEASURED,
                "load:none",
                "no saved load run: the first bottleneck is unknown (launchready load -o .launchready/load.json)",
            )
        )
    audit = inputs.audit
    if audit is not None:
        cite = Evidence(f"audit {audit.path.name}", hrefs.get("audit"))
        for finding in audit.report.run.findings:
            if finding.rule_id in PROBES:
                claims.append(
                    Claim(
                        f"{finding.title}: {finding.status.value} — {finding.evidence}",
                        (Evidence(f"finding {finding.key}", hrefs.get("audit")),),
                    )
                )
                checked["probes_read"] = checked.get("probes_read", 0) + 1
        result = score_report(
            audit.report, load=inputs.load.document if inputs.load else None, targets=targets
        )
        sprint = result.recommended
        why = tuple(r.because for r in sprint.fired) or ("no earlier sprint's signal fired",)
        claims.append(
            Claim(f"Recommended next sprint: {sprint.sprint.title} — {sprint.sprint.goal}", (cite,), why)
        )
    if inputs.cost is not None:
        monthly = (inputs.cost.document.get("monthly") or {}).get("expected") or {}
        if isinstance(monthly.get("cost"), int | float):
            claims.append(
                Claim(
                    f"LLM spend: about ${monthly['cost']:,.2f} a month at the estimated traffic ({inputs.cost.document.get('model')})",
                    (Evidence(f"cost estimate {inputs.cost.path.name}", hrefs.get("cost")),),
                )
            )
    failing = (
        {f.rule_id for f in audit.report.run.findings if f.status in (Status.FAIL, Status.WARN)}
        if audit
        else set()
    )
    if inputs.load is not None and bottlenecks(inputs.load.document, targets):
        failing.add("load.")
    not_yet = []
    for item in pack_text().not_yet:
        hit = sorted(r for r in failing if any(r.startswith(p) for p in item.unless_rules))
        if hit:
            not_yet.append(f"Now worth considering: {item.item} — because of {', '.join(hit[:3])}")
        else:
            not_yet.append(f"Not yet: {item.item} — wait until {item.until}")
    claims.append(
        Claim("What not to build yet", (Evidence("launch roadmap: do not overbuild"),), tuple(not_yet))
    )
    return Section("scale", "Next steps for scale", tuple(claims), (), tuple(missing), checked, (UNMEASURED,))
