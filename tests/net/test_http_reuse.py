"""The HTTP client's reuse: one pinned sibling per pin set, closed with its parent; one lookup per host."""

from __future__ import annotations

import asyncio

from launchready.net import DnsResolver, HttpClient, Limits
from launchready.net.http import _AddressMemo


class _CountingResolver(DnsResolver):
    def __init__(self) -> None:
        super().__init__(Limits(), nameserver="127.0.0.1:9")  # never asked: addresses() is replaced
        self.asked: list[str] = []

    async def addresses(self, host: str) -> tuple[str, ...]:
        self.asked.append(host)
        await asyncio.sleep(0.01)
        return ("127.0.0.1",)


async def test_pinned_siblings_are_shared_and_closed_with_the_parent() -> None:
    async with HttpClient(_CountingResolver()) as http:
        insecure = http.pinned_to({}, verify=False)
        assert http.pinned_to({}, verify=False) is insecure
        assert http.pinned_to({"A.test": "127.0.0.2"}) is http.pinned_to({"a.test": "127.0.0.2"})
        assert http.pinned_to({"a.test": "127.0.0.2"}) is not http.pinned_to({"a.test": "127.0.0.3"})
        async with insecure as same:
            session = same.session
        assert not session.closed, "a sibling's own `async with` must not close what others share"
    assert session.closed


async def test_concurrent_connections_share_one_address_lookup() -> None:
    resolver = _CountingResolver()
    memo = _AddressMemo(resolver)
    answers = await asyncio.gather(*(memo.addresses(h) for h in ("a.test", "A.test", "a.test", "b.test")))
    assert answers == [("127.0.0.1",)] * 4
    assert sorted(resolver.asked) == ["a.test", "b.test"]
