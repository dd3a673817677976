"""The two-host smoke test's driver (deploy/smoke/run.sh makes its database): nginx from Debian serving
deploy/nginx/conference.conf in front of two gunicorn instances (host A and host B), a task worker beside each,
PostgreSQL and Redis shared, a local SMTP server; then every point of the layout is checked through real HTTP.

Everything it starts is stopped, and its temporary folder removed, whatever happens.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
SLUG = "doha-helplines"
PASSWORD = "doha-demo-2027"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The SMTP server's handler: every message that arrives, by recipient."""

    def __init__(self) -> None:
        self.received: list[tuple[str, ...]] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(tuple(envelope.rcpt_tos))
        return "250 OK"

    def count(self, address: str) -> int:
        return sum(address in rcpts for rcpts in self.received)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser: one cookie jar, whichever host it talks to; a client address of its own (X-Forwarded-For)."""

    def __init__(self, address: str) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())
        self.address = address

    def request(self, url: str, data: dict | None = None, headers: dict | None = None,
                body: bytes | None = None) -> tuple[int, dict, str]:
        payload = urllib.parse.urlencode(data).encode() if data is not None else body
        request = urllib.request.Request(url, data=payload, headers={"X-Forwarded-For": self.address,
                                                                     **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def csrf(self, url: str) -> str:
        status, _, html = self.request(url)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert found, f"no CSRF token on {url} ({status})"
        return found.group(1)

    def login(self, host: str, email: str, password: str = PASSWORD) -> int:
        token = self.csrf(f"{host}/login")
        return self.request(f"{host}/login", {"email": email, "password": password, "csrf_token": token})[0]

    def session_cookie(self) -> http.cookiejar.Cookie:
        return next(c for c in self.jar if c.name == "session")


class Layout:
    """The processes of the layout, started and stopped together."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="conference-smoke-"))
        self.processes: list[subprocess.Popen] = []
        self.ports = {"a": free_port(), "b": free_port(), "nginx": free_port(), "smtp": free_port()}
        self.inbox = Inbox()
        self.smtp = Controller(self.inbox, hostname="127.0.0.1", port=self.ports["smtp"])
        redis_url = os.environ["SMOKE_REDIS"]
        self.env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
                    "DATABASE_URL": os.environ["SMOKE_DATABASE_URL"],
                    "PUBLIC_URL": f"http://127.0.0.1:{self.ports['nginx']}",
                    "RATELIMIT_STORAGE_URI": redis_url, "TASK_QUEUE_URL": redis_url, "PAGE_CACHE_URL": redis_url,
                    "TRUSTED_PROXIES": "1", "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1",
                    "MAIL_PORT": str(self.ports["smtp"]), "MAIL_USE_TLS": "false", "FLASK_APP": "wsgi",
                    "FLASK_DEBUG": "0"}
        self.env.pop("REDIS_URL", None)
        self.a, self.b = (f"http://127.0.0.1:{self.ports[h]}" for h in ("a", "b"))
        self.nginx = f"http://127.0.0.1:{self.ports['nginx']}"

    def log(self, name: str):
        return open(self.folder / f"{name}.log", "w")

    def start(self) -> None:
        self.smtp.start()
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=self.env, check=True,
                           stdout=self.log("setup"), stderr=subprocess.STDOUT)
        for host in ("a", "b"):
            self.spawn(f"web-{host}", [str(BIN / "gunicorn"), "--workers", "2", "--threads", "2", "--bind",
                                       f"127.0.0.1:{self.ports[host]}", "--forwarded-allow-ips", "127.0.0.1",
                                       "wsgi:app"])
            self.spawn(f"worker-{host}", [str(BIN / "flask"), "send-mail", "--watch"])
        self.start_nginx()
        for url in (self.a, self.b, self.nginx):
            wait_for(f"{url}/healthz")

    def spawn(self, name: str, command: list[str]) -> None:
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log(name),
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def start_nginx(self) -> None:
        conf = nginx_config(self.folder, self.ports["nginx"], (self.ports["a"], self.ports["b"]),
                            (self.ports["a"], self.ports["b"]))
        self.spawn("nginx", nginx_command(conf))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
        self.smtp.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def nginx_config(folder: Path, listen: int, web: tuple[int, int], door: tuple[int, int]) -> Path:
    """deploy/nginx/conference.conf up to its http→https part, on a local port without TLS, in front of the web
    and door pools on these ports; pid, logs and temporary files in `folder`. Returns the main configuration."""
    site = (ROOT / "deploy" / "nginx" / "conference.conf").read_text().split("# --- http → https")[0]
    for default, port in (("8001", web[0]), ("8002", web[1]), ("8101", door[0]), ("8102", door[1])):
        site = site.replace(f"127.0.0.1:{default};", f"127.0.0.1:{port};")
    site = site.replace("/srv/conference/static/", f"{ROOT}/static/").replace("listen 443 ssl;",
                                                                              f"listen 127.0.0.1:{listen};")
    site = "\n".join(line for line in site.splitlines() if not re.match(r"\s*(ssl_|http2 |listen \[::\])", line))
    (folder / "site.conf").write_text(site)
    temp = folder / "nginx-temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""{user}worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/site.conf;
}}
""")
    nginx = os.environ.get("SMOKE_NGINX", "/usr/sbin/nginx")
    subprocess.run([nginx, "-t", "-q", "-c", str(folder / "nginx.conf"), "-p", str(folder)], check=True)
    return folder / "nginx.conf"


def nginx_command(conf: Path) -> list[str]:
    """nginx in the foreground with `conf` (stopped with its process group)."""
    return [os.environ.get("SMOKE_NGINX", "/usr/sbin/nginx"), "-c", str(conf), "-p", str(conf.parent),
            "-g", "daemon off;"]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.2)


def check(name: str, condition: bool, detail: str = "") -> None:
    print(("ok   " if condition else "FAIL ") + name + (f"  ({detail})" if detail and not condition else ""))
    if not condition:
        raise SystemExit(1)


def check_sessions(layout: Layout) -> None:
    me = f"/{SLUG}/me/agenda"
    visitor = Visitor("203.0.113.1")
    check("log-in on host A", visitor.login(layout.a, "organizer@example.org") == 302)
    check("the session is valid on host B", visitor.request(layout.b + me)[0] == 200)
    kept = visitor.session_cookie()
    token = visitor.csrf(f"{layout.b}/logout")
    check("log-out on host B", visitor.request(f"{layout.b}/logout", {"csrf_token": token})[0] == 302)
    visitor.jar.set_cookie(kept)  # the old cookie, as a copy of it elsewhere would still hold it
    status, headers, _ = visitor.request(layout.a + me)
    check("the log-out ended the session on host A too", status == 302 and "/login" in headers.get("Location", ""),
          f"{status}")


def check_rate_limit(layout: Layout) -> None:
    visitor = Visitor("203.0.113.2")
    answers = []
    for attempt in range(11):
        host = layout.a if attempt % 2 == 0 else layout.b
        answers.append(visitor.login(host, "organizer@example.org", "wrong password"))
    check("ten wrong log-ins in a minute across both hosts are answered", answers[:10] == [200] * 10, str(answers))
    check("the 11th is refused (429), counted across hosts", answers[10] == 429, str(answers))


def check_publication(layout: Layout) -> None:
    reader = Visitor("203.0.113.3")
    before = reader.request(f"{layout.b}/{SLUG}/agenda?lang=en")[2]
    number = int(re.search(r"Version (\d+), published", before).group(1))
    organizer = Visitor("203.0.113.4")
    organizer.login(layout.a, "organizer@example.org")
    token = organizer.csrf(f"{layout.a}/{SLUG}/manage/agenda/publish")
    status = organizer.request(f"{layout.a}/{SLUG}/manage/agenda/publish",
                               {"csrf_token": token, "note": "smoke", "confirm_warnings": "y"})[0]
    check("a new version published through host A", status == 302, str(status))
    after = reader.request(f"{layout.b}/{SLUG}/agenda?lang=en")[2]
    check("host B serves it at once", f"Version {number + 1}, published" in after)
    through = reader.request(f"{layout.nginx}/{SLUG}/agenda?lang=en")
    check("and so does the proxy, with a short public Cache-Control", f"Version {number + 1}, published" in through[2]
          and "max-age=60" in through[1].get("Cache-Control", ""), str(through[1].get("Cache-Control")))


def check_door(layout: Layout) -> None:
    engine = create_engine(layout.env["DATABASE_URL"])
    with engine.connect() as connection:
        badge = connection.execute(text(
            "SELECT d.id, d.badge_token FROM delegates d JOIN conferences c ON c.id = d.conference_id "
            "WHERE c.slug = :slug AND d.status = 'approved' AND d.badge_token IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM checkins k WHERE k.delegate_id = d.id) LIMIT 1"), {"slug": SLUG}).one()
    staff = Visitor("203.0.113.5")
    staff.login(layout.a, "staff@example.org")
    page = staff.request(f"{layout.a}/{SLUG}/checkin")[2]
    csrf = re.search(r'data-csrf="([^"]+)"', page)
    status, _, body = staff.request(f"{layout.a}/api/v1/{SLUG}/door-token", body=b"{}",
                                    headers={"X-CSRFToken": csrf.group(1), "Content-Type": "application/json"})
    check("a door token for the scanners", status == 200, f"{status} {body[:200]}")
    token = json.loads(body)["token"]
    scanned_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 120))
    answers: list[dict] = []

    def sync(host: str, gate: str) -> None:
        payload = json.dumps({"code": badge.badge_token, "gate": gate, "nonce": secrets.token_hex(8),
                              "scanned_at": scanned_at}).encode()
        answers.append(json.loads(Visitor("203.0.113.6").request(
            f"{host}/api/v1/{SLUG}/checkin", body=payload,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})[2]))

    scanners = [threading.Thread(target=sync, args=(host, gate))
                for host, gate in ((layout.a, "Gate 1"), (layout.nginx, "Gate 2"), (layout.b, "Gate 3"))]
    for scanner in scanners:
        scanner.start()
    for scanner in scanners:
        scanner.join()
    statuses = sorted((a.get("status"), a.get("reason")) for a in answers)
    with engine.connect() as connection:
        admissions = connection.execute(text("SELECT count(*) FROM checkins WHERE delegate_id = :id"),
                                        {"id": badge.id}).scalar()
    engine.dispose()
    check("offline scanners syncing through different hosts leave one admission",
          admissions == 1 and statuses.count(("ok", None)) == 1, f"{admissions} admissions, {statuses}")


def check_mail(layout: Layout) -> None:
    address = "delegate001@example.org"
    visitor = Visitor("203.0.113.7")
    token = visitor.csrf(f"{layout.a}/password/forgot")
    status = visitor.request(f"{layout.a}/password/forgot", {"email": address, "csrf_token": token})[0]
    check("a mail queued through host A", status in (200, 302), str(status))
    deadline = time.monotonic() + 60
    while layout.inbox.count(address) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # long enough for the other host's worker to send it a second time, if it ever would
    check("delivered once by the workers of both hosts", layout.inbox.count(address) == 1,
          f"{layout.inbox.count(address)} copies")


def check_static(layout: Layout) -> None:
    page = Visitor("203.0.113.8").request(f"{layout.nginx}/{SLUG}/agenda")[2]
    path = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page).group(1)
    cache = Visitor("203.0.113.8").request(layout.nginx + path)[1].get("Cache-Control", "")
    check("static files from nginx: a year, immutable", cache == "public, max-age=31536000, immutable", cache)


def main() -> int:
    started = time.monotonic()
    layout = Layout()
    try:
        layout.start()
        print(f"layout up in {time.monotonic() - started:.0f} s: nginx {layout.nginx} → {layout.a}, {layout.b}")
        for step in (check_sessions, check_rate_limit, check_publication, check_door, check_mail, check_static):
            step(layout)
    except BaseException:
        for log in sorted(layout.folder.glob("*.log")):
            print(f"--- {log.name}", file=sys.stderr)
            print("\n".join(log.read_text(errors="replace").splitlines()[-15:]), file=sys.stderr)
        raise
    finally:
        layout.stop()
    print(f"smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
