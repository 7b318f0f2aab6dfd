"""Framed messages over a Unix socket (docs/isolation.md "The wire").

A frame is a 4-byte big-endian length and that many bytes of a `mpgames.framework.wire` encoding.
`Channel.send` writes one; `Channel.receive_bytes` reads one, refusing a frame over the channel's
limit (the cap on what an adversary may send), and reads exactly the frame's bytes, never ahead,
so that a file descriptor sent right after a frame (`send_fd`) is received with the byte that
carries it. Every wait may have a deadline; the time limit of a trial (a SIGALRM in the challenger)
interrupts a wait as well.
"""

from __future__ import annotations

import socket
import struct
import time

from mpgames.framework import wire

# The largest frame either side accepts: far above any view or output of the games (a standard-tier
# view is a few kilobytes), far below what would exhaust the challenger's memory.
MAX_FRAME = 1 << 24

_HEADER = struct.Struct(">I")


class ChannelClosed(Exception):
    """The other end closed the socket (its process ended)."""


class ChannelTimeout(Exception):
    """The other end did not answer before the deadline."""


class FrameTooLarge(Exception):
    """The other end announced a frame over the limit."""


class Channel:
    """One end of a socket that carries frames."""

    def __init__(self, sock: socket.socket, limit: int = MAX_FRAME) -> None:
        self.sock = sock
        self.limit = limit

    def fileno(self) -> int:
        return self.sock.fileno()

    def close(self) -> None:
        self.sock.close()

    def send(self, *message: object, timeout: float | None = None) -> None:
        """Send `message` (a tuple of wire-encodable values) as one frame."""
        self.send_bytes(wire.encode(message), timeout)

    def send_bytes(self, body: bytes, timeout: float | None = None) -> None:
        self.sock.settimeout(timeout)
        try:
            self.sock.sendall(_HEADER.pack(len(body)) + body)
        except TimeoutError:
            raise ChannelTimeout("the other end does not read") from None
        except (BrokenPipeError, ConnectionResetError):
            raise ChannelClosed("the other end closed the channel") from None

    def send_fd(self, fd: int) -> None:
        """Pass a file descriptor (SCM_RIGHTS) with one byte."""
        self.sock.settimeout(None)
        socket.send_fds(self.sock, [b"F"], [fd])

    def receive_fd(self) -> int:
        self.sock.settimeout(None)
        data, fds, _, _ = socket.recv_fds(self.sock, 1, 1)
        if data != b"F" or len(fds) != 1:
            for fd in fds:
                socket.close(fd)
            raise ChannelClosed("no file descriptor came with the frame")
        return fds[0]

    def receive_bytes(self, timeout: float | None = None) -> bytes:
        """The body of the next frame; `ChannelTimeout` after `timeout` seconds (None: wait)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        (length,) = _HEADER.unpack(self._exactly(_HEADER.size, deadline))
        if length > self.limit:
            raise FrameTooLarge(f"a frame of {length} bytes is over the limit of {self.limit}")
        return self._exactly(length, deadline)

    def receive(self, timeout: float | None = None) -> object:
        """The next frame, decoded as a value the challenger sent (the adversary's side)."""
        return wire.decode_public(self.receive_bytes(timeout), _no_oracle)

    def _exactly(self, n: int, deadline: float | None) -> bytes:
        chunks = bytearray()
        while len(chunks) < n:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise ChannelTimeout("the other end did not answer in time")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(min(n - len(chunks), 1 << 20))
            except TimeoutError:
                raise ChannelTimeout("the other end did not answer in time") from None
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise ChannelClosed("the other end closed the channel")
            chunks += chunk
        return bytes(chunks)


def _no_oracle(ref: wire.OracleRef) -> object:
    raise wire.WireError(f"an oracle ({ref.name}) where none is expected")
