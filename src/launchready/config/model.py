"""The ``launchready.toml`` schema.

One pydantic model per section, so a bad value is reported with its exact key path (``routes[2].method``),
which the loader turns into a file and line. Every section has defaults that follow the launch roadmap, so a
starter file needs only the product name and domain.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_HOSTNAME = (
    r"^([a-zA-Z0-9_]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$"
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CanonicalHost(enum.StrEnum):
    APEX = "apex"
    WWW = "www"


class RouteRole(enum.StrEnum):
    HOMEPAGE = "homepage"
    LOGIN = "login"
    HEALTH = "health"
    WEBHOOK = "webhook"
    AUTH_CALLBACK = "auth-callback"
    CHAT = "chat"
    OTHER = "other"


class ProductConfig(_Section):
    name: str = Field(min_length=1)
    domain: str = Field(
        pattern=_HOSTNAME, max_length=253, description="The primary (apex) domain, e.g. chatbot.example"
    )
    canonical: CanonicalHost = CanonicalHost.APEX
    subdomains: tuple[str, ...] = Field(
        default=("app", "api"), description="Expected subdomain labels: app, api, docs, status..."
    )
    api_hosts: tuple[str, ...] = Field(
        default=("api",), description="Subdomain labels that serve an API rather than pages"
    )

    @field_validator("domain")
    @classmethod
    def _lower_no_dot(cls, value: str) -> str:
        return value.lower().rstrip(".")

    @field_validator("subdomains", "api_hosts")
    @classmethod
    def _labels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for label in value:
            if not label or "/" in label or " " in label:
                raise ValueError(f"not a subdomain label: {label!r}")
        return tuple(label.lower() for label in value)


class RouteConfig(_Section):
    name: str = Field(min_length=1)
    role: RouteRole = RouteRole.OTHER
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] = "GET"
    host: str = Field(default="", description="Subdomain label ('' or '@' for the apex) or a full host name")
    path: str = Field(default="/", pattern=r"^/")
    body: str | dict[str, object] | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    weight: float = Field(default=1.0, ge=0)
    needs_auth: bool = False
    cacheable: bool = False
    scheme: Literal["http", "https"] | None = Field(
        default=None, description="http for a plain-HTTP server (local, staging); default: [network] scheme"
    )


class ChatAnswerConfig(_Section):
    kind: Literal["sse", "json", "openai"] = "sse"
    path: str = Field(
        default="delta",
        description="Dotted JSON path to the answer text: in each SSE event's data, or in the JSON body",
    )
    done_marker: str = "[DONE]"
    stream: bool = Field(default=True, description="openai kind: ask for a streamed answer (stream: true)")
    tool_call_path: str | None = Field(
        default=None, description="Dotted JSON path where a tool call appears (event data or JSON body)"
    )
    usage_path: str | None = Field(default=None, description="Dotted JSON path of the token usage object")


class ChatLoginConfig(_Section):
    """Log in once before chatting: the session cookie and/or a token from the answer are reused."""

    route: str = Field(min_length=1, description="Name of the login route (its body is sent)")
    token_path: str | None = Field(default=None, description="Dotted JSON path of a token in the answer")
    token_header: str = "Authorization"
    token_prefix: str = "Bearer "


class ChatConfig(_Section):
    route: str = Field(default="chat", description="Name of the route with role 'chat'")
    request: dict[str, object] | str = Field(
        default_factory=lambda: dict[str, object](message="{{message}}"),
        description="JSON body template (a table, or JSON text); {{message}}, {{history}} and {{session}} "
        "are filled JSON-safely",
    )
    answer: ChatAnswerConfig = Field(default_factory=ChatAnswerConfig)
    model: str = Field(default="", description="openai kind: the model name sent in the request")
    headers_from_env: dict[str, str] = Field(
        default_factory=dict,
        description="Header name -> value template with ${ENV_VAR} (e.g. 'Bearer ${CHAT_TOKEN}'); never "
        "written to reports",
    )
    login: ChatLoginConfig | None = None
    connect_timeout_s: float = Field(default=5.0, gt=0, le=120)
    first_byte_timeout_s: float = Field(default=15.0, gt=0, le=600)
    timeout_s: float | None = Field(
        default=None,
        gt=0,
        le=600,
        description="One chat, first byte to last (default: targets.chat_timeout_s)",
    )
    max_answer_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    max_calls: int = Field(default=200, ge=1, le=100_000, description="Hard budget of chat calls per command")
    max_seconds: float = Field(default=120.0, gt=0, le=3600, description="Hard budget of seconds per command")
    concurrency: int = Field(default=8, ge=1, le=256)
    input_cost_per_mtok: float = Field(default=0.0, ge=0, description="Price per million input tokens")
    output_cost_per_mtok: float = Field(default=0.0, ge=0, description="Price per million output tokens")


class RedteamConfig(_Section):
    """The red-team pass (``launchready redteam``, ``--with redteam``), owned by the red-team probes."""

    canary: str | None = Field(
        default=None, description="A string planted in your system prompt: seen in an answer = leaked"
    )
    system_prompt: str | None = Field(
        default=None, description="Your system prompt's text, for an n-gram overlap test of answers"
    )
    model_error_prompt: str | None = Field(
        default=None, description="A test-hook prompt that makes the model call fail (failed-model probe)"
    )
    model_timeout_prompt: str | None = Field(
        default=None, description="A test-hook prompt that makes the model call time out"
    )
    silent_prompt: str | None = Field(
        default=None, description="A test-hook prompt that makes the model stream nothing"
    )
    long_input_chars: tuple[int, ...] = Field(default=(10_000, 100_000), min_length=1)
    exfil_allowed_hosts: tuple[str, ...] = Field(
        default=(), description="Hosts an answer may link images to besides the product's own domain"
    )


class RepoConfig(_Section):
    path: Path = Path(".")
    logs: tuple[Path, ...] = ()
    bundle_dirs: tuple[Path, ...] = (
        Path("dist"),
        Path("build"),
        Path("out"),
        Path(".next/static"),
        Path("public"),
    )


class HostConfig(_Section):
    """Per-host settings, keyed by full host name in ``[hosts."api.example.com"]``."""

    origin: str | None = Field(
        default=None,
        description="The origin server's address behind the edge, to test whether it is bypassable",
    )
    api: bool | None = Field(
        default=None, description="Force this host to be treated as an API host (or not)"
    )


class NetworkConfig(_Section):
    """Ports to use instead of 80/443: how the lab tells the audit about its mapping when it cannot bind them."""

    http_port: int = Field(default=80, ge=1, le=65535)
    https_port: int = Field(default=443, ge=1, le=65535)
    scheme: Literal["http", "https"] = Field(
        default="https", description="Scheme of every route without its own (http: a plain-HTTP server)"
    )


class TargetsConfig(_Section):
    """The roadmap's launch targets."""

    p95_ms: float = Field(default=800.0, gt=0, description="Non-LLM routes: p95 latency budget")
    chat_timeout_s: float = Field(default=30.0, gt=0, description="A chat request must end within this")
    ttft_p95_ms: float = Field(
        default=3000.0,
        gt=0,
        description="Chat: time to the first streamed token (worst of the probe's chats)",
    )
    cache_hit_ratio: float = Field(default=0.60, ge=0, le=1)
    error_rate: float = Field(default=0.01, ge=0, le=1)
    chat_completed_ratio: float = Field(
        default=0.99,
        ge=0,
        le=1,
        description="Load: share of sent chats that must stream an answer and end within chat_timeout_s",
    )


class OwnerConfig(_Section):
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    contact: str = Field(default="", description="Another way to reach them (chat handle, pager)")
    backup: str = Field(default="", description="Who stands in when they are away (name of another owner)")
    systems: tuple[str, ...] = Field(
        default=(),
        description="Systems they hold access to: registrar, dns, edge, hosting, email, repo, monitor, llm...",
    )


class EmailConfig(_Section):
    """Email authentication settings (owned by the email checks)."""

    sends_mail: bool = Field(
        default=True, description="The apex domain sends mail; false means it must publish null MX and -all"
    )
    dkim_selectors: tuple[str, ...] = Field(
        default=(), description="DKIM selectors your providers sign with (probed besides the common ones)"
    )
    sending_subdomains: tuple[str, ...] = Field(
        default=(), description="Subdomain labels (or full names) that send mail, e.g. notify for receipts"
    )
    no_mail_domains: tuple[str, ...] = Field(
        default=(),
        description="Subdomain labels (or full names) that never send mail: null MX and -all expected",
    )


class DatabaseConfig(_Section):
    dsn: str | None = None


class SurfaceConfig(_Section):
    """Public-surface audit settings (owned by the surface checks)."""

    probe_subdomains: bool = True
    probe_names: tuple[str, ...] = Field(
        default=(
            "staging", "stage", "dev", "test", "qa", "uat", "admin", "beta", "old", "legacy", "preview",
            "demo", "internal", "api-staging", "app-staging", "sandbox", "backup", "cdn", "mail", "blog",
        ),
        description="Subdomain labels probed for hosts that answer but are not in the config (inventory)",
    )  # fmt: skip
    allowed_redirect_hosts: tuple[str, ...] = Field(
        default=(), description="Hosts outside the product's domain that redirects may intentionally lead to"
    )
    max_html_bytes: int = Field(
        default=150_000, gt=0, description="Homepage HTML bytes above which it is flagged"
    )
    max_script_bytes: int = Field(
        default=500_000, gt=0, description="One JS bundle's bytes above which it is flagged"
    )
    max_json_bytes: int = Field(
        default=1_000_000, gt=0, description="API JSON bytes above which it is flagged"
    )
    tls_full_scan: bool = Field(
        default=False,
        description="Test TLS 1.0 and 1.1 separately on every address of every host (slower; off by default)",
    )


class SecretsConfig(_Section):
    """Secret scanning settings (owned by the secrets checks)."""

    ignore_file: Path = Path(".launchready-ignore.toml")
    history: bool = Field(default=True, description="Scan every blob of the git history in the audit")
    jobs: int = Field(
        default=0, ge=0, description="Worker processes for the history scan; 0 means every core"
    )


class PerformanceConfig(_Section):
    """Performance probe settings (owned by the performance probes, ``--with performance``)."""

    stall_prompt: str | None = Field(
        default=None, description="A prompt that makes the model think long, for the chat-timeout probe"
    )
    flaky_prompt: str | None = Field(
        default=None,
        description="A test-hook prompt that makes the first upstream LLM call fail once (retry probe)",
    )
    probe_prompt: str = Field(default="Say hello in one short sentence.", min_length=1)
    burst_size: int = Field(default=30, ge=2, le=500, description="Requests in a rate-limit burst")
    burst_concurrency: int = Field(default=5, ge=1, le=50)
    timeout_margin_s: float = Field(
        default=3.0,
        ge=0,
        le=120,
        description="Grace past targets.chat_timeout_s before a chat counts as open",
    )
    isolation_slow_chats: int = Field(default=4, ge=1, le=32, description="Chats in flight while sampling")
    isolation_samples: int = Field(default=10, ge=3, le=200, description="Requests per route and phase")
    isolation_ratio: float = Field(default=2.0, gt=1)
    isolation_floor_ms: float = Field(
        default=50.0, ge=0, description="A p95 rise smaller than this is noise, whatever the ratio"
    )
    cache_reads: int = Field(default=6, ge=2, le=100)
    payload_chars: int = Field(default=100_000, ge=1000, le=10_000_000)
    payload_budget_s: float = Field(
        default=5.0, gt=0, le=120, description="An oversized chat must be refused within this"
    )


class LoadStage(_Section):
    """One leg of a ramp: the rate moves linearly to ``target_rate`` over ``duration_s`` (k6 stages)."""

    duration_s: float = Field(gt=0, le=3600)
    target_rate: float = Field(ge=0, le=100_000, description="Requests per second at the end of this stage")


class LoadConfig(_Section):
    """Load-test scenario defaults (owned by the load generator, ``launchready load``)."""

    duration_s: float = Field(default=20.0, gt=0, le=3600)
    rate: float = Field(default=20.0, gt=0, le=100_000, description="Open model: requests started per second")
    stages: tuple[LoadStage, ...] = Field(
        default=(), description="A ramp instead of a constant rate; the run lasts the sum of the stages"
    )
    users: int | None = Field(
        default=None, ge=1, le=10_000, description="Closed model instead: N users, each waiting for answers"
    )
    think_time_s: float = Field(
        default=0.0, ge=0, le=600, description="Closed model: pause between a user's requests"
    )
    max_requests: int = Field(
        default=100_000, ge=1, le=10_000_000, description="Stop after this many requests"
    )
    max_in_flight: int = Field(
        default=512, ge=1, le=100_000, description="Cap on open requests; later arrivals are dropped, counted"
    )
    routes: tuple[str, ...] = Field(
        default=(),
        description="Route names to load; empty = every route but login, webhooks and auth callbacks",
    )
    chat_prompt: str = Field(default="Say hello in one short sentence.", min_length=1)
    request_timeout_s: float = Field(
        default=60.0, gt=0, le=600, description="Give up on one request after this"
    )
    seed: int = Field(default=1, description="Seed of the route picker, so two runs send the same mix")


class SmokeCheckConfig(_Section):
    """One post-deploy smoke test of a route (``[[deploy.smoke]]``), owned by ``launchready smoke``."""

    route: str = Field(min_length=1, description="Name of the route to test")
    status: int | None = Field(default=None, ge=100, le=599, description="Expected status (default: 2xx)")
    keyword: str | None = Field(default=None, description="Text the body must contain")
    json_path: str | None = Field(default=None, description="Dotted JSON path that must exist in the body")
    json_equals: str | None = Field(default=None, description="...and equal this (JSON scalars as text)")
    latency_ms: float | None = Field(default=None, gt=0, description="Budget (default: targets.p95_ms)")


class DeployConfig(_Section):
    """How the product is deployed and rolled back (owned by ``launchready smoke``/``drill`` and the deploy
    checks)."""

    command: str | None = Field(default=None, description="Shell command that deploys the new version")
    rollback_command: str | None = Field(default=None, description="Shell command that rolls back")
    workdir: Path | None = Field(default=None, description="Where the commands run (default: [repo] path)")
    health_url: str | None = Field(default=None, description="Full health URL (default: the health route)")
    version_url: str | None = Field(default=None, description="Full URL that answers the running version")
    version_path: str = Field(default="version", description="Dotted JSON path of the version in its answer")
    deploy_timeout_s: float = Field(default=300.0, gt=0, le=600)
    settle_timeout_s: float = Field(default=120.0, gt=0, le=600, description="Wait for health + version")
    rollback_timeout_s: float = Field(default=300.0, gt=0, le=600)
    drill_deadline_s: float = Field(default=600.0, gt=0, le=600, description="The roadmap's 10 minutes")
    runbook: Path | None = Field(default=None, description="The written rollback steps, relative to the repo")
    drill_history: Path = Field(
        default=Path(".launchready/drills.jsonl"),
        description="Drill history (JSON lines), relative to [repo] path: beside launchready.toml by default",
    )
    image_tarball: Path | None = Field(
        default=None,
        description="A built image (docker save -o image.tar) whose layers are scanned for secrets",
    )
    smoke: tuple[SmokeCheckConfig, ...] = ()
    smoke_concurrency: int = Field(default=4, ge=1, le=32)
    smoke_timeout_s: float = Field(default=15.0, gt=0, le=120, description="Per request, retry included")


class MonitorRouteConfig(_Section):
    """One monitored route's conditions (``[[monitor.routes]]``), owned by ``launchready monitor``."""

    route: str = Field(min_length=1, description="Name of the route to watch")
    status: int | None = Field(default=None, ge=100, le=599, description="Expected status (default: 2xx)")
    keyword: str | None = Field(default=None, description="Text the body must contain")
    json_path: str | None = Field(default=None, description="Dotted JSON path that must exist in the body")
    json_equals: str | None = Field(default=None, description="...and equal this (JSON scalars as text)")
    latency_ms: float | None = Field(
        default=None, gt=0, description="Degraded above this (default: targets.p95_ms)"
    )


class HeartbeatConfig(_Section):
    """A cron job or webhook that must ping ``/heartbeat/<name>`` at least every ``period_s`` (+ grace)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    period_s: float = Field(default=3600.0, gt=0)
    grace_s: float = Field(default=300.0, ge=0)


class MaintenanceWindowConfig(_Section):
    """Alerts are held while a window is open (checks still run and are recorded)."""

    start: str = Field(description="ISO 8601 date-time, with its UTC offset")
    end: str = Field(description="ISO 8601 date-time, with its UTC offset")
    checks: tuple[str, ...] = Field(default=(), description="Check ids (prefixes); empty means every check")


class LogAlertConfig(_Section):
    """Log-based alerts (``[monitor.logs]``): error-rate and failed-LLM-call spikes from JSON-lines logs,
    tailed from ``file`` or POSTed to ``/api/logs``."""

    enabled: bool = Field(
        default=False, description="Judge logs even without a file (events POSTed to /api/logs)"
    )
    file: Path | None = Field(
        default=None, description="A JSON-lines log file to tail (rotation is followed)"
    )
    window_s: float = Field(default=300.0, ge=10, le=86_400, description="Events counted over this window")
    error_rate: float = Field(default=0.05, gt=0, le=1, description="Down above this share of error events")
    min_events: int = Field(default=20, ge=1, description="Fewer events in the window: no error-rate verdict")
    llm_failures: int = Field(default=5, ge=1, description="Down at this many failed LLM calls in the window")


class MonitorConfig(_Section):
    """``launchready monitor``: uptime and synthetic chat checks, alerts, dashboard (issue 13)."""

    database: str = Field(
        default="sqlite:///.launchready/monitor.db",
        description="SQLAlchemy URL: sqlite:///path (WAL) or postgresql+psycopg://user@host/db",
    )
    interval_s: float = Field(default=60.0, ge=1, le=86_400, description="Between two runs of a check")
    email_interval_s: float = Field(default=3600.0, ge=10, description="Between two email/DNS drift checks")
    jitter: float = Field(
        default=1.0, ge=0, le=1, description="First runs spread over this share of the interval (1 = evenly)"
    )
    concurrency: int = Field(default=50, ge=1, le=10_000, description="Checks in flight at once")
    timeout_s: float = Field(default=10.0, gt=0, le=120, description="Per route request")
    routes: tuple[MonitorRouteConfig, ...] = Field(
        default=(), description="Conditions per route; empty = every GET route that needs no sign-in"
    )
    chat_prompt: str | None = Field(default=None, description="Default: performance.probe_prompt")
    chat_total_ms: float = Field(
        default=10_000.0, gt=0, description="Chat degraded when the whole answer takes longer"
    )
    tls_warn_days: int = Field(default=14, ge=1, le=365, description="Degraded when a cert expires sooner")
    heartbeats: tuple[HeartbeatConfig, ...] = ()
    down_after: int = Field(default=3, ge=1, le=100, description="Consecutive failures before an alert")
    quorum: int = Field(
        default=1, ge=1, le=50, description="With several instances: this many must see it down (M of K)..."
    )
    quorum_of: int = Field(
        default=1, ge=1, le=50, description="...among the latest results of this many instances (K)"
    )
    flap_changes: int = Field(default=4, ge=2, description="State changes within flap_window_s = flapping")
    flap_window_s: float = Field(default=900.0, gt=0)
    reminder_every_s: float = Field(default=3600.0, gt=0, description="Repeat a down alert this often")
    reminder_cap: int = Field(default=3, ge=0, le=100, description="At most this many reminders")
    alert_urls: tuple[str, ...] = Field(default=(), description="Apprise URLs: slack://..., mailto://...")
    maintenance: tuple[MaintenanceWindowConfig, ...] = ()
    logs: LogAlertConfig = Field(default_factory=LogAlertConfig)
    retention_days: int = Field(default=30, ge=1, description="Raw results kept; hourly rollups for a year")
    listen: str = Field(default="127.0.0.1:8787", description="Dashboard, status page, /metrics, ingest")
    public_url: str = Field(
        default="", description="The dashboard's address as people reach it; alerts link its playbook page"
    )
    token_env: str = Field(
        default="LAUNCHREADY_MONITOR_TOKEN", description="Env var holding the deploy/heartbeat POST token"
    )


class LaunchConfig(_Section):
    """The whole file."""

    product: ProductConfig
    routes: tuple[RouteConfig, ...] = ()
    chat: ChatConfig = Field(default_factory=ChatConfig)
    repo: RepoConfig = Field(default_factory=RepoConfig)
    environments: dict[str, Path] = Field(
        default_factory=dict, description="Env file per environment name: development, staging, production..."
    )
    hosts: dict[str, HostConfig] = Field(default_factory=dict)
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    targets: TargetsConfig = Field(default_factory=TargetsConfig)
    owners: tuple[OwnerConfig, ...] = ()
    email: EmailConfig = Field(default_factory=EmailConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    surface: SurfaceConfig = Field(default_factory=SurfaceConfig)
    secrets: SecretsConfig = Field(default_factory=SecretsConfig)
    performance: PerformanceConfig = Field(default_factory=PerformanceConfig)
    redteam: RedteamConfig = Field(default_factory=RedteamConfig)
    load: LoadConfig = Field(default_factory=LoadConfig)
    deploy: DeployConfig = Field(default_factory=DeployConfig)
    monitor: MonitorConfig = Field(default_factory=MonitorConfig)

    @model_validator(mode="after")
    def _routes_unique_and_chat_known(self) -> LaunchConfig:
        names = [r.name for r in self.routes]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"route names must be unique; repeated: {', '.join(duplicates)}")
        return self

    # --- derived views used by checks -------------------------------------------------------------
    @property
    def apex(self) -> str:
        return self.product.domain

    @property
    def www(self) -> str:
        return f"www.{self.product.domain}"

    @property
    def canonical_host(self) -> str:
        return self.www if self.product.canonical is CanonicalHost.WWW else self.apex

    @property
    def public_hosts(self) -> tuple[str, ...]:
        """Apex, www, then every expected subdomain, without duplicates and in that order."""
        hosts = [self.apex, self.www, *(f"{label}.{self.apex}" for label in self.product.subdomains)]
        return tuple(dict.fromkeys(hosts))

    def host_for(self, label_or_host: str) -> str:
        """Turn a route's ``host`` (label, '@', '' or full name) into a full host name."""
        if label_or_host in ("", "@"):
            return self.canonical_host
        if "." in label_or_host:
            return label_or_host.lower()
        return f"{label_or_host.lower()}.{self.apex}"

    def is_api_host(self, host: str) -> bool:
        override = self.hosts.get(host)
        if override is not None and override.api is not None:
            return override.api
        return any(host == f"{label}.{self.apex}" for label in self.product.api_hosts)

    def url(self, host: str, path: str = "/", scheme: str = "https") -> str:
        """Build a URL honouring the configured port mapping (default ports are left out)."""
        port = self.network.https_port if scheme == "https" else self.network.http_port
        default = 443 if scheme == "https" else 80
        netloc = host if port == default else f"{host}:{port}"
        return f"{scheme}://{netloc}{path}"

    def route_url(self, route: RouteConfig) -> str:
        return self.url(self.host_for(route.host), route.path, route.scheme or self.network.scheme)

    def routes_with_role(self, role: RouteRole) -> tuple[RouteConfig, ...]:
        return tuple(r for r in self.routes if r.role is role)
