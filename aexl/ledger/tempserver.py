"""A throwaway PostgreSQL server for the tests and the benchmark (not used by aexl itself).

``TempPostgres.start()`` uses the system's binaries under
``/usr/lib/postgresql/*/bin`` (or on PATH) when present, else those of the
pip package ``pgserver``: initdb into a new temporary folder, listen on a
free loopback port (and a unix socket in that folder), trust authentication,
``fsync=off`` unless ``durable``. ``stop()`` ends the server and removes the folder. Run as root,
the server runs as the ``postgres`` (else ``nobody``) user, since PostgreSQL
refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _system_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).resolve().parent if on_path else None


def _pgserver_bin() -> Path | None:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on import
            from pgserver._commands import POSTGRES_BIN_PATH
    except Exception:
        return None
    return Path(POSTGRES_BIN_PATH) if (Path(POSTGRES_BIN_PATH) / "initdb").exists() else None


def find_binaries() -> tuple[Path | None, str]:
    """The folder with initdb/pg_ctl, and where it came from (or why there is none).

    ``AEXL_TEST_PGSERVER=1`` skips the system's binaries (to try the fallback).
    """
    found = None if os.environ.get("AEXL_TEST_PGSERVER") == "1" else _system_bin()
    if found:
        return found, "system"
    found = _pgserver_bin()
    if found:
        return found, "pgserver"
    return None, "no PostgreSQL binaries: neither /usr/lib/postgresql/*/bin nor pgserver"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> str | None:
    """PostgreSQL refuses root: the user to run it as, or None when not root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root with neither a 'postgres' nor a 'nobody' user")


class TempPostgres:
    def __init__(self, bindir: Path, root: Path, port: int, user: str | None, durable: bool):
        self.bindir, self.root, self.port, self.user = bindir, root, port, user
        self.durable = durable
        self.data = root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://aexl@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            user=self.user,
            cwd=self.root,
            timeout=120,
        )
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")

    @classmethod
    def start(cls, *, durable: bool = False) -> TempPostgres:
        """``durable``: keep PostgreSQL's fsync on (for timings); off makes tests faster."""
        bindir, source = find_binaries()
        if bindir is None:
            raise RuntimeError(source)
        root = Path(tempfile.mkdtemp(prefix="aexl-pg-"))
        try:
            user = _run_as()
            if user and source == "pgserver":
                # its binaries live in root's site-packages, which another user cannot enter:
                # copied with the libraries beside them (their rpath: ../../../pgserver.libs)
                package = bindir.parent.parent
                install = root / "site" / "pgserver" / "pginstall"
                shutil.copytree(bindir.parent, install, ignore=shutil.ignore_patterns("include"))
                libs = package.parent / "pgserver.libs"
                if libs.is_dir():
                    shutil.copytree(libs, root / "site" / "pgserver.libs")
                bindir = install / "bin"
            if user:
                import pwd

                entry = pwd.getpwnam(user)
                for path in (root, *root.rglob("*")):
                    os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
            server = cls(bindir, root, _free_port(), user, durable)
            server._run("initdb", "-D", str(server.data), "-U", "aexl", "-A", "trust",
                        "-E", "UTF8", "--no-locale")  # fmt: skip
            server.start_again()
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return server

    def start_again(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c max_connections=100"
        )
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")  # fmt: skip

    def halt(self) -> None:
        """Stop the server (the data stays; ``start_again`` brings it back)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self.halt()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
