#!/bin/bash
# Restore a Rekisteri backup without bringing back anyone erased since it was taken.
# Run as root on the server, with the decrypted dump on standard input (docs/deploy.md,
# "Backups and restoring"):
#
#   gpg --decrypt rekisteri-….dump.gpg | ssh root@server /srv/rekisteri/deploy/restore.sh
#
# The dump goes into a new database, "<name>_restored", where `manage.py restore_check`
# migrates it, applies every erasure in the ledger again and checks that no erased customer is
# left. Only then does it take the place of the database named in DATABASE_URL, which is kept
# as "<name>_before_restore_<time>" until you drop it. Nothing is written to disk in plaintext.
set -euo pipefail
umask 077

log() { echo "$(date -Is) restore $*"; }
fail() {
    log "FAILED: $*" >&2
    exit 1
}

ENV_FILE=${REKISTERI_ENV:-/etc/rekisteri.env}
APP_USER=${REKISTERI_USER:-rekisteri}
cd "$(dirname "$0")/.."
[ ! -t 0 ] || fail "pipe the decrypted backup in: gpg --decrypt FILE | $0"
[ -r "$ENV_FILE" ] || fail "cannot read $ENV_FILE"
set -a
# shellcheck source=/dev/null
. "$ENV_FILE"
set +a
{ read -r DB && read -r OWNER; } < <(
    .venv/bin/python -c 'import sys, urllib.parse as u
url = u.urlsplit(sys.argv[1])
print(u.unquote(url.path.lstrip("/")))
print(u.unquote(url.username or ""))' "$DATABASE_URL"
) || fail "DATABASE_URL in $ENV_FILE names no database"
[ -n "$DB" ] && [ -n "$OWNER" ] || fail "DATABASE_URL in $ENV_FILE names no database and user"
RESTORED="${DB}_restored"
PREVIOUS="${DB}_before_restore_$(date +%Y%m%d%H%M%S)"

# A leftover of an earlier attempt that failed its checks.
sudo -u postgres dropdb --if-exists "$RESTORED"
sudo -u postgres createdb --owner="$OWNER" --encoding=UTF8 "$RESTORED"
sudo -u "$APP_USER" env REKISTERI_ENV="$ENV_FILE" deploy/manage.sh restore_check \
    --database "$RESTORED" - || fail "$RESTORED did not pass its checks; $DB is untouched"

# Every erasure is applied again and checked: only now does the restored database serve.
exists=$(sudo -u postgres psql -XAt -v db="$DB" <<'SQL'
SELECT count(*) FROM pg_database WHERE datname = :'db';
SQL
)
if [ "$exists" = 1 ]; then
    sudo -u postgres psql -Xq -v ON_ERROR_STOP=1 -v db="$DB" -v previous="$PREVIOUS" <<'SQL' \
        || fail "could not move $DB aside: stop every service using it first"
ALTER DATABASE :"db" RENAME TO :"previous";
SQL
    log "the database it replaces is kept as $PREVIOUS: drop it once you have checked the restore"
fi
sudo -u postgres psql -Xq -v ON_ERROR_STOP=1 -v restored="$RESTORED" -v db="$DB" <<'SQL'
ALTER DATABASE :"restored" RENAME TO :"db";
SQL
log "restored into $DB"
