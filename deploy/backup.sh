#!/bin/sh
# Nightly PostgreSQL backup of Rekisteri, encrypted to the shop's backup key, kept BACKUP_KEEP_DAYS.
# Run as the rekisteri user (deploy/rekisteri.cron); reads /etc/rekisteri.env for DATABASE_URL
# and the BACKUP_* settings. Restoring: docs/deploy.md, "Backups and restoring".
set -eu
umask 077
set -a
. "${REKISTERI_ENV:-/etc/rekisteri.env}"
set +a
DIR=${BACKUP_DIR:-/var/backups/rekisteri}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-30}
# The public key's id or email; its private key is kept off this server.
: "${BACKUP_GPG_RECIPIENT:?set BACKUP_GPG_RECIPIENT in /etc/rekisteri.env}"
STAMP=$(date +%Y-%m-%dT%H%M)
OUT="$DIR/rekisteri-$STAMP.dump.gpg"

pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" \
  | gpg --batch --yes --trust-model always --encrypt --recipient "$BACKUP_GPG_RECIPIENT" \
        --output "$OUT.part"
mv "$OUT.part" "$OUT"
# Backups still hold people erased since they were taken: they go when their time is up.
find "$DIR" -name 'rekisteri-*.dump.gpg' -mtime +"$KEEP_DAYS" -delete
echo "$(date -Is) backup $OUT $(stat -c %s "$OUT") bytes"
