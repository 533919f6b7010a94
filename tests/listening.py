"""Local servers the tests start: a free port, and waiting until a process listens on it."""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_listening(port: int, process: subprocess.Popen[bytes] | subprocess.Popen[str] | None, *,
                         seconds: float, what: str) -> None:
    """Return once 127.0.0.1:`port` accepts connections; RuntimeError when `process` exits first
    or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start listening") from None
            time.sleep(0.05)


class LocalServer:
    """A server process on a local port, started and waited for; `stop()` ends it."""

    def __init__(self, command: list[str], port: int, *, seconds: float, what: str) -> None:
        self.port = port
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_listening(port, self.process, seconds=seconds, what=what)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        stop_process(self.process, timeout=5)


def stop_process(process: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 10) -> None:
    """Ask a process to end; kill it when it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
