"""The lab's ``launchready.toml``: the config a user of the lab product would write, pointed at the lab.

Written as TOML text (not built as a model) because it is also what ``launchready lab up`` shows people as
a worked example, and writing it to disk then loading it back exercises the real loader. Values are quoted
with ``json.dumps``, whose escapes are valid TOML basic strings for the ASCII values used here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from launchready.lab.backend.app import DEMO_EMAIL, DEMO_PASSWORD
from launchready.lab.backend.chat_config import REDTEAM_HOOKS
from launchready.lab.backend.fake_llm import FLAKY_MARKER, STALL_MARKER
from launchready.lab.repo import LOG_FILES
from launchready.lab.zone_email import LAB_EMAIL_CONFIG

LAB_DOMAIN = "chatbot.test"
LAB_SUBDOMAINS = ("app", "api", "docs", "status", "help")
ENV_NAMES = ("development", "staging", "production")
LAB_CHAT_TIMEOUT_S = 5.0
"""Short, so the chat-timeout probe finishes quickly (the hardened backend ends chats at 3 s)."""


@dataclass(frozen=True)
class LabConfigInputs:
    domain: str
    repo: Path
    origins: dict[str, str]
    """Host → origin address."""
    http_port: int = 80
    https_port: int = 443


def lab_config_text(inputs: LabConfigInputs) -> str:
    q = json.dumps
    environments = "\n".join(
        f"{env} = {q(str(inputs.repo / f'.env.{env}'))}"
        for env in ENV_NAMES
        if (inputs.repo / f".env.{env}").is_file()
    )
    hosts = "\n".join(
        f"[hosts.{q(host)}]\norigin = {q(address)}\n" for host, address in sorted(inputs.origins.items())
    )
    return f"""# launchready.toml for the lab product (written by `launchready lab up`).

[product]
name = "Chatbot Lab"
domain = {q(inputs.domain)}
canonical = "apex"
subdomains = {q(list(LAB_SUBDOMAINS))}
api_hosts = ["api"]

[[routes]]
name = "homepage"
role = "homepage"
method = "GET"
host = "@"
path = "/"

[[routes]]
name = "login"
role = "login"
method = "POST"
host = "api"
path = "/auth/login"
body = {{ email = {q(DEMO_EMAIL)}, password = {q(DEMO_PASSWORD)} }}

[[routes]]
name = "health"
role = "health"
method = "GET"
host = "api"
path = "/health"

[[routes]]
name = "webhook"
role = "webhook"
method = "POST"
host = "api"
path = "/webhooks/payments"

[[routes]]
name = "auth-callback"
role = "auth-callback"
method = "GET"
host = "app"
path = "/auth/callback"

[[routes]]
name = "chat"
role = "chat"
method = "POST"
host = "api"
path = "/v1/chat"

[[routes]]
name = "models"
role = "other"
method = "GET"
host = "api"
path = "/v1/models"
cacheable = true

[chat]
route = "chat"
request = {{ message = "{{{{message}}}}" }}

[chat.answer]
kind = "sse"
path = "delta"
done_marker = "[DONE]"
tool_call_path = "tool_call"

[repo]
path = {q(str(inputs.repo))}
logs = {q([p.as_posix() for p in LOG_FILES])}

[environments]
{environments}

[network]
http_port = {inputs.http_port}
https_port = {inputs.https_port}

[targets]
chat_timeout_s = {LAB_CHAT_TIMEOUT_S}

[performance]
stall_prompt = {q(f"Think about this for a very long time {STALL_MARKER}")}
flaky_prompt = {q(f"Say hello {FLAKY_MARKER}")}

[redteam]
canary = {q(REDTEAM_HOOKS["canary"])}
system_prompt = {q(REDTEAM_HOOKS["system_prompt"])}
model_error_prompt = {q(REDTEAM_HOOKS["model_error_prompt"])}
model_timeout_prompt = {q(REDTEAM_HOOKS["model_timeout_prompt"])}
silent_prompt = {q(REDTEAM_HOOKS["silent_prompt"])}

{LAB_EMAIL_CONFIG}
[[owners]]
name = "Ada Launch"
role = "Engineering lead"
email = "ada@{inputs.domain}"
phone = "+1 555 0100"

[[owners]]
name = "Grace Oncall"
role = "On-call SRE"
email = "grace@{inputs.domain}"
phone = "+1 555 0101"

{hosts}"""


def write_lab_config(path: Path, inputs: LabConfigInputs) -> Path:
    path.write_text(lab_config_text(inputs), encoding="utf-8")
    return path
