"""`python -m build_tools.deploy`: server configuration from a built site, and clear messages on bad input."""

from __future__ import annotations

import subprocess
import sys

from build_tools.deploy import NGINX_BROTLI_MODULE
from conftest import REPO


def deploy(*args):
    return subprocess.run([sys.executable, "-m", "build_tools.deploy", *args], cwd=REPO, capture_output=True, text=True)


def test_nginx_config_for_a_sub_path_and_an_intranet(built_site, tmp_path):
    result = deploy("nginx", "--site", str(built_site), "--root", "/var/www/cvo/site", "--subpath", "/beleid/sociale-media",
                    "--frame-ancestors", "https://intranet.example", "--server-name", "intranet.example")
    assert result.returncode == 0, result.stderr
    conf = result.stdout
    assert "location ^~ /beleid/sociale-media/ {" in conf and "alias /var/www/cvo/site/;" in conf
    assert "frame-ancestors 'self' https://intranet.example" in conf
    assert "brotli_static on;" in conf and "gzip_static on;" in conf
    assert "'unsafe-inline'" not in conf.split("map $uri", 1)[1]
    # nginx itself accepts it (with Debian's brotli module loaded, as modules-enabled/ does)
    wrapper = tmp_path / "nginx.conf"
    wrapper.write_text(f"load_module {NGINX_BROTLI_MODULE};\npid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n"
                       + conf.replace("listen 80;", "listen 127.0.0.1:1;") + "}\n", encoding="utf-8")
    checked = subprocess.run(["/usr/sbin/nginx", "-t", "-q", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                              "-c", str(wrapper)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_apache_and_htaccess_and_headers(built_site):
    apache = deploy("apache", "--site", str(built_site), "--root", "/srv/cvo", "--subpath", "/beleid/")
    assert apache.returncode == 0 and "Alias /beleid /srv/cvo" in apache.stdout
    htaccess = deploy("htaccess", "--site", str(built_site))
    assert htaccess.returncode == 0 and "RewriteRule ^(.+)$ $1.br [L]" in htaccess.stdout
    headers = deploy("headers", "--site", str(built_site))
    assert headers.stdout == (built_site / "_headers").read_text(encoding="utf-8")


def test_bad_input_gets_one_message_and_no_traceback(built_site, tmp_path):
    result = deploy("nginx", "--site", str(built_site), "--frame-ancestors", "intranet.example")
    assert result.returncode == 2 and "'intranet.example' is geen origin" in result.stderr and "Traceback" not in result.stderr
    result = deploy("nginx", "--site", str(tmp_path))
    assert result.returncode == 2 and "geen gebouwde site" in result.stderr and "Traceback" not in result.stderr
