"""Settings read from the environment, with safe defaults for a single machine."""
from __future__ import annotations

import os
import re
import secrets
import stat
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
SECRET_FILE = "secret_key"
MIN_SECRET_LENGTH = 32
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"


class ConfigError(RuntimeError):
    """The settings are unsafe or incomplete for the chosen environment."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{INSTANCE / 'conference.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def cookies_secure(public_url: str) -> bool:
    """Cookies are marked Secure exactly when the site is served over https.

    A Secure cookie sent over plain http never comes back, so a log-in form served over http (a venue LAN,
    a development server without debug) could never succeed; over https it must be Secure.
    """
    return urlsplit(public_url.strip()).scheme.lower() == "https"


def instance_secret(folder: Path) -> str:
    """The secret generated for this installation, made on first start and kept in `folder` (mode 0600)."""
    path = folder / SECRET_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Write a private temporary file, then link it into place: the link fails if another worker starting
        # at the same moment got there first, so every process ends up reading the same, complete secret.
        temporary = folder / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            temporary.unlink(missing_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)  # a secret readable by other users of the machine is not a secret
    secret = path.read_text().strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"{path} does not hold a usable secret: delete it to have a new one made, "
                          "or set SECRET_KEY.")
    return secret


def load_config() -> dict:
    """Build the settings dictionary from the environment."""
    env = os.environ.get("APP_ENV", os.environ.get("FLASK_ENV", "development"))
    debug = _bool("FLASK_DEBUG", env == "development")
    # Unset, the public address is the development server's own, on the port it serves (PORT=8000 make run).
    port = os.environ.get("PORT", "").strip()
    default_url = f"http://127.0.0.1:{port}" if re.fullmatch(r"[0-9]{1,5}", port) else DEFAULT_PUBLIC_URL
    public_url = os.environ.get("PUBLIC_URL", default_url)
    secure = cookies_secure(public_url)
    return {
        "ENV_NAME": env,
        # None: check_config supplies the installation's generated secret (production requires one).
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # Pooled connections idle longer than this are checked before use (core.database).
        "DB_PING_AFTER_IDLE": float(os.environ.get("DB_PING_AFTER_IDLE", "5")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "conference" / "translations"),
        "LANGUAGES": ("en", "ar"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SIGNUP_RATE_LIMIT": os.environ.get("SIGNUP_RATE_LIMIT", "10 per minute"),
        "SCAN_RATE_LIMIT": os.environ.get("SCAN_RATE_LIMIT", "600 per minute"),
        # The public certificate verification page: enough for a person checking a few, far too few to guess codes.
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "30 per minute"),
        # A scanner page's door token: short, so that a copied token is soon worthless; the page renews it.
        "DOOR_TOKEN_LIFETIME": int(os.environ.get("DOOR_TOKEN_LIFETIME", "3600")),  # seconds
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "log"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Conference <no-reply@localhost>"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "PUBLIC_URL": public_url,
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Seconds the placement assistant may search in a request (the command takes its own --time-limit).
        "PLACEMENT_TIME_LIMIT": float(os.environ.get("PLACEMENT_TIME_LIMIT", "10")),
        # The task queue (core/tasks.py): empty is a SQLite file in the instance folder; redis://… a Redis server.
        "TASK_QUEUE_URL": os.environ.get("TASK_QUEUE_URL", os.environ.get("REDIS_URL", "")),
        # The public pages' cache (core/pagecache.py): empty is each process's memory; redis://… shared by every host.
        "PAGE_CACHE_URL": os.environ.get("PAGE_CACHE_URL", os.environ.get("REDIS_URL", "")),
        # Recipients a worker queues in one transaction when a message goes out.
        "MESSAGE_BATCH_SIZE": int(os.environ.get("MESSAGE_BATCH_SIZE", "1000")),
        "DEBUG": debug,
    }


def check_config(config: dict, instance: Path | None = None) -> None:
    """Refuse unsafe settings; without SECRET_KEY outside production, use the installation's own secret.

    No published default secret exists: anyone knowing it could forge sessions, and so log in as anybody.
    """
    production = config.get("ENV_NAME") == "production"
    secret = config.get("SECRET_KEY") or ""
    if production and len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} characters in production "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if not secret:
        config["SECRET_KEY"] = instance_secret(instance or INSTANCE)
