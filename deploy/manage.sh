#!/bin/sh
# Run a manage.py command with the app's environment (/etc/rekisteri.env), as cron and an
# operator do: deploy/manage.sh run_daily
set -eu
cd "$(dirname "$0")/.."
set -a
. "${REKISTERI_ENV:-/etc/rekisteri.env}"
set +a
exec .venv/bin/python manage.py "$@"
