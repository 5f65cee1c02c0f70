#!/bin/bash
# Nightly PostgreSQL backup of Rekisteri, verified, encrypted to the shop's backup key and kept
# BACKUP_KEEP_DAYS. Run as the rekisteri user (deploy/rekisteri.cron); reads /etc/rekisteri.env
# (or REKISTERI_ENV) for DATABASE_URL and the BACKUP_* settings. Restoring: docs/deploy.md,
# "Backups and restoring".
#
# Every step must succeed or the script stops with a "backup FAILED" line and a non-zero exit:
# dump to a private file, verify it (a size floor, pg_restore --list naming the register's
# tables, and a full read of the archive), encrypt it, record it as the last verified backup
# (shown on the staff dashboard and in /health/), and only then prune backups past their time.
# A failed night therefore never removes a good backup.
set -euo pipefail
umask 077

log() { echo "$(date -Is) backup $*"; }
fail() {
    log "FAILED: $*" >&2
    exit 1
}

ENV_FILE=${REKISTERI_ENV:-/etc/rekisteri.env}
[ -r "$ENV_FILE" ] || fail "cannot read $ENV_FILE"
set -a
# shellcheck source=/dev/null
. "$ENV_FILE"
set +a
DIR=${BACKUP_DIR:-/var/backups/rekisteri}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-30}
# An empty register's dump is about 170 kB; a dump below the floor is not a backup.
MIN_BYTES=${BACKUP_MIN_BYTES:-65536}
# The public key's id or email; its private key is kept off this server.
[ -n "${BACKUP_GPG_RECIPIENT:-}" ] || fail "set BACKUP_GPG_RECIPIENT in $ENV_FILE"
[ -n "${DATABASE_URL:-}" ] || fail "set DATABASE_URL in $ENV_FILE"
MANAGE="$(cd "$(dirname "$0")" && pwd)/manage.sh"

[ -d "$DIR" ] || fail "backup directory $DIR does not exist"
# One backup at a time: a second run while one is still going waits for none and stops.
exec 9>>"$DIR/.lock"
flock --nonblock 9 || fail "another backup is still running in $DIR"

# Leftovers of a run that was killed (the lock says none is running now): a half-written
# encrypted file, or a plaintext dump that must not stay on disk.
find "$DIR" -maxdepth 1 -name 'rekisteri-*.part' -delete

STAMP=$(date +%Y-%m-%dT%H%M%S)
DUMP="$DIR/rekisteri-$STAMP.dump.part"
OUT="$DIR/rekisteri-$STAMP.dump.gpg"
trap 'rm -f "$DUMP" "$OUT.part"' EXIT

pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$DUMP" \
    || fail "pg_dump failed (exit $?); old backups kept"
SIZE=$(stat -c %s "$DUMP")
[ "$SIZE" -ge "$MIN_BYTES" ] \
    || fail "the dump is $SIZE bytes, below BACKUP_MIN_BYTES=$MIN_BYTES; old backups kept"
TOC=$(pg_restore --list "$DUMP") || fail "pg_restore cannot read the dump's contents; old backups kept"
for table in django_migrations customers_customer privacy_erasureledger; do
    grep -q "TABLE DATA public $table " <<<"$TOC" \
        || fail "the dump holds no data of $table; old backups kept"
done
# The table of contents is written first: reading every data block proves the rest is whole.
pg_restore --file=/dev/null "$DUMP" || fail "the dump cannot be read to its end; old backups kept"

# No compression: the dump's data is compressed already, and an encrypted file at least as
# large as the dump shows that gpg wrote all of it.
gpg --batch --yes --trust-model always --compress-algo none --encrypt \
    --recipient "$BACKUP_GPG_RECIPIENT" --output "$OUT.part" "$DUMP" \
    || fail "gpg could not encrypt the dump; old backups kept"
rm -f "$DUMP"
ENCRYPTED=$(stat -c %s "$OUT.part")
[ "$ENCRYPTED" -ge "$SIZE" ] \
    || fail "the encrypted file is $ENCRYPTED bytes, less than the $SIZE-byte dump; old backups kept"
sync "$OUT.part" || fail "the encrypted file could not be flushed to disk; old backups kept"
mv "$OUT.part" "$OUT"
sync "$DIR" || fail "the backup directory could not be flushed to disk; old backups kept"

"$MANAGE" record_backup --file "$OUT" --size "$ENCRYPTED" \
    || fail "$OUT is verified but could not be recorded in the database; old backups kept"

# Backups still hold people erased since they were taken: they go when their time is up,
# counted in minutes so "30 days" means 30 days.
find "$DIR" -maxdepth 1 -name 'rekisteri-*.dump.gpg' ! -path "$OUT" \
    -mmin +$((KEEP_DAYS * 24 * 60)) -print -delete | sed "s/^/$(date -Is) backup pruned /"
log "verified $OUT $ENCRYPTED bytes (dump $SIZE bytes)"
