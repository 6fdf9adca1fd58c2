"""The lab's listeners: connections they accept send small writes at once (Nagle off)."""

from __future__ import annotations

import asyncio
import socket

from launchready.lab.addresses import allocate_block
from launchready.lab.web import bind


async def test_accepted_connections_have_nagle_off() -> None:
    """Without TCP_NODELAY a response written as headers then body waits a delayed ACK (~40 ms)."""
    sock = bind(allocate_block().at(1), 0)
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted: socket.socket = writer.get_extra_info("socket")
        seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(accept, sock=sock)
    try:
        address, port = sock.getsockname()
        _, writer = await asyncio.open_connection(address, port)
        assert await asyncio.wait_for(seen, 5) != 0
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
