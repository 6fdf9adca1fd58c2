"""Does anything accept a TCP connection at this address and port? The one fact two checks need.

``dns.host.unreachable`` (a host that resolves but answers on neither its HTTPS nor its HTTP port is down,
and everything else on it is unverifiable) and ``edge.origin.bypassable`` (an origin that *refuses* direct
connections is locked down) both hinge on telling apart what a connection attempt really showed:

- ``open``: the three-way handshake completed;
- ``refused``: the host answered with a reset (nothing listens, or a firewall rejects): an observed refusal;
- ``timeout``: no answer within the connect timeout (a firewall dropping packets, a host that is down, or a
  wrong address: the audit cannot tell which);
- ``unreachable``: the local network could not route there (no route, network down) — nothing was observed.

The connection goes to the resolved address itself (pinned), never through a second DNS question.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import errno
from dataclasses import dataclass


class ReachOutcome(enum.StrEnum):
    OPEN = "open"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Reach:
    address: str
    port: int
    outcome: ReachOutcome
    detail: str

    @property
    def observed(self) -> bool:
        """True when the far end answered (open or an explicit refusal): a fact about the target."""
        return self.outcome in (ReachOutcome.OPEN, ReachOutcome.REFUSED)

    def describe(self) -> str:
        where = f"[{self.address}]:{self.port}" if ":" in self.address else f"{self.address}:{self.port}"
        return f"{where} {self.outcome.value}" + (f" ({self.detail})" if self.detail else "")


_REFUSALS = (ConnectionRefusedError, ConnectionResetError)


async def tcp_reach(address: str, port: int, timeout_s: float) -> Reach:
    """One bounded TCP connect to ``address:port``; the connection is closed at once."""
    try:
        async with asyncio.timeout(timeout_s):
            _, writer = await asyncio.open_connection(address, port)
    except TimeoutError:
        return Reach(address, port, ReachOutcome.TIMEOUT, f"no answer within {timeout_s:g}s")
    except _REFUSALS as exc:
        return Reach(address, port, ReachOutcome.REFUSED, exc.strerror or type(exc).__name__)
    except OSError as exc:
        if exc.errno in (errno.ECONNREFUSED, errno.ECONNRESET):
            return Reach(address, port, ReachOutcome.REFUSED, exc.strerror or str(exc))
        return Reach(address, port, ReachOutcome.UNREACHABLE, exc.strerror or str(exc))
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return Reach(address, port, ReachOutcome.OPEN, "")
