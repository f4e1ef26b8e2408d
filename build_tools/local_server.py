"""Runs the generated nginx or Apache configuration unprivileged on a loopback port (or on another of this machine's
addresses, for an intranet-like origin), for the tests and `make bench`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from . import deploy
from . import headers as h

NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"
START_TIMEOUT = 20
LOOPBACK = "127.0.0.1"


class ServerError(RuntimeError):
    pass


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _wait_for(host: str, port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"server exited with {process.returncode}:\n{_tail(log)}")
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise ServerError(f"server did not listen on {port} within {START_TIMEOUT} s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.is_file() else "(no log)"


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def _running(command: list[str], prefix: Path, host: str, port: int):
    """The server as a child process until the block ends; its stderr is in the message if it fails to start."""
    log = prefix / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            _wait_for(host, port, process, log)
            yield process
        finally:
            _stop(process)


@contextmanager
def nginx(site: Path, *, subpath: str = "/", frame_ancestors=None, port: int | None = None, host: str = LOOPBACK):
    """nginx in the foreground, one process, with the generated server block; yields the site's base URL."""
    if not Path(NGINX).exists():
        raise ServerError(f"{NGINX} is missing: apt-get install nginx libnginx-mod-http-brotli-static (make test does this as root).")
    if not Path(deploy.NGINX_BROTLI_MODULE).exists():
        raise ServerError(f"{deploy.NGINX_BROTLI_MODULE} is missing: apt-get install libnginx-mod-http-brotli-static.")
    port = port or free_port(host)
    ancestors = h.read_frame_ancestors(site) if frame_ancestors is None else frame_ancestors
    policy = h.site_policy(site, ancestors)
    with tempfile.TemporaryDirectory(prefix="cvo-nginx-") as prefix_name:
        prefix = Path(prefix_name)
        (prefix / "site.conf").write_text(
            deploy.nginx_conf(policy, root=str(site.resolve()), subpath=subpath, listen=f"{host}:{port}",
                              server_name="localhost"), encoding="utf-8")
        temp = prefix / "tmp"
        (prefix / "nginx.conf").write_text(f"""load_module {deploy.NGINX_BROTLI_MODULE};
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/site.conf;
}}
""", encoding="utf-8")
        temp.mkdir()
        command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
        with _running(command, prefix, host, port):
            yield f"http://{host}:{port}{deploy.subpath_prefix(subpath)}"


APACHE_MODULE_NAMES = ("mpm_event", "authz_core", "mime", "dir", "alias", "headers", "rewrite", "setenvif")


@contextmanager
def apache(site: Path, *, subpath: str = "/", frame_ancestors=None, port: int | None = None, host: str = LOOPBACK):
    """Apache in the foreground (-X) with the generated virtual host; yields the site's base URL.

    Apache refuses to serve as root, so when run as root it serves as www-data from a readable copy of the site."""
    if not Path(APACHE).exists():
        raise ServerError(f"{APACHE} is missing: apt-get install apache2 (make test does this as root).")
    port = port or free_port(host)
    ancestors = h.read_frame_ancestors(site) if frame_ancestors is None else frame_ancestors
    policy = h.site_policy(site, ancestors)
    with tempfile.TemporaryDirectory(prefix="cvo-apache-") as prefix_name:
        prefix = Path(prefix_name)
        os.chmod(prefix, 0o755)
        root = site.resolve()
        user = ""
        if os.geteuid() == 0:
            root = prefix / "site"
            shutil.copytree(site, root)
            user = "User www-data\nGroup www-data\n"
        modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so" for name in APACHE_MODULE_NAMES)
        vhost = deploy.apache_conf(policy, root=str(root), subpath=subpath, listen=str(port), server_name="localhost")
        (prefix / "httpd.conf").write_text(f"""ServerRoot {prefix}
{modules}
{user}Listen {host}:{port}
PidFile {prefix}/httpd.pid
ErrorLog {prefix}/error.log
LogLevel warn
ServerName localhost
TypesConfig /dev/null
{vhost}
""", encoding="utf-8")
        with _running([APACHE, "-f", str(prefix / "httpd.conf"), "-DFOREGROUND"], prefix, host, port):
            yield f"http://{host}:{port}{deploy.subpath_prefix(subpath)}"
