#!/usr/bin/env bash
# Smoke test of the two-host layout (deploy/): nginx from Debian in front of two app instances (two "hosts" on two
# ports), PostgreSQL and Redis shared, a task worker per host. Uses its own database (smoke) and Redis db (14), and
# removes both, its processes and its temporary folder when it ends. Run from the repository: deploy/smoke/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

PG=${SMOKE_PG:-postgresql+psycopg://postgres@127.0.0.1:5432}
DB=${SMOKE_DB:-smoke}
export SMOKE_REDIS=${SMOKE_REDIS:-redis://127.0.0.1:6379/14}
SMOKE_NGINX=${SMOKE_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$SMOKE_NGINX" ] || { echo "smoke: nginx is not installed (apt-get install -y nginx)" >&2; exit 1; }

dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
cleanup() { dropdb -h 127.0.0.1 -U postgres --if-exists "$DB" || true; redis-cli -u "$SMOKE_REDIS" flushdb >/dev/null || true; }
trap cleanup EXIT
redis-cli -u "$SMOKE_REDIS" flushdb >/dev/null

export SMOKE_DATABASE_URL="$PG/$DB"
export SMOKE_NGINX
timeout 300 .venv/bin/python deploy/smoke/driver.py
