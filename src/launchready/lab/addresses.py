"""Loopback address blocks for labs, so several labs and test runs on one machine never collide.

Every lab takes a random ``127.A.B.0/24`` (Linux routes all of 127.0.0.0/8 to loopback) and gives each host
its own address in it. One host per address lets every host have its own certificate on the standard ports
without SNI, and lets the lab bind 80/443/53 whenever it runs as root without stealing another lab's ports.
"""

from __future__ import annotations

import errno
import random
import socket

DNS_OFFSET = 53
FIRST_HOST_OFFSET = 10
LAST_HOST_OFFSET = 250
_ATTEMPTS = 64


class BlockExhausted(RuntimeError):
    """More hosts than a /24 block holds."""


class AddressBook(dict[str, str]):
    """Host name → address inside one block; looking up an unknown host (``book[host]``) allocates one.

    ``get()`` and ``in`` do not allocate, as with any dict.
    """

    def __init__(self, block: str) -> None:
        super().__init__()
        self.block = block
        self._next = FIRST_HOST_OFFSET

    def at(self, offset: int) -> str:
        return f"{self.block}.{offset}"

    @property
    def nameserver(self) -> str:
        """The address the lab's DNS server listens on: ``127.A.B.53``."""
        return self.at(DNS_OFFSET)

    def allocate(self, host: str) -> str:
        """The address of ``host``, allocating the next free one when it has none yet."""
        return self[host]

    def __missing__(self, host: str) -> str:
        while self._next == DNS_OFFSET or self.at(self._next) in self.values():
            self._next += 1
        if self._next > LAST_HOST_OFFSET:
            raise BlockExhausted(f"no free address left in {self.block}.0/24")
        address = self.at(self._next)
        self._next += 1
        self[host] = address
        return address


def allocate_block(rng: random.Random | None = None) -> AddressBook:
    """A random ``127.A.B.0/24`` block (A in 64..250) whose DNS address no other lab holds."""
    rng = rng or random.Random()
    for _ in range(_ATTEMPTS):
        block = f"127.{rng.randint(64, 250)}.{rng.randint(0, 255)}"
        if _free(f"{block}.{DNS_OFFSET}"):
            return AddressBook(block)
    raise OSError(errno.EADDRINUSE, "no free loopback block found")


def _free(address: str) -> bool:
    """True when ``address`` can be bound: on port 53 if allowed (a running lab holds it), else any port."""
    for port in (DNS_OFFSET, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.bind((address, port))
            except PermissionError:
                continue
            except OSError:
                return False
            return True
    return False


def can_bind(address: str, port: int) -> bool:
    """True when a TCP listener could take ``address:port`` now (privileged ports need root)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError:
            return False
        return True
