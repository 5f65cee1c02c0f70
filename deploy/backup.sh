#!/bin/sh
# Nightly PostgreSQL backup of Rekisteri, encrypted to the shop's backup key, kept 30 days.
# Run as the postgres user (deploy/rekisteri.cron). Restore: docs/deploy.md, "Restoring".
set -eu
umask 077
DIR=${BACKUP_DIR:-/var/backups/rekisteri}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-30}
# The public key's id or email; its private key is kept off this server.
RECIPIENT=${BACKUP_GPG_RECIPIENT:-backup@example.fi}
STAMP=$(date +%Y-%m-%dT%H%M)
OUT="$DIR/rekisteri-$STAMP.dump.gpg"

pg_dump --format=custom --dbname=rekisteri \
  | gpg --batch --yes --trust-model always --encrypt --recipient "$RECIPIENT" --output "$OUT.part"
mv "$OUT.part" "$OUT"
# Backups hold people erased since they were taken: they go when their time is up.
find "$DIR" -name 'rekisteri-*.dump.gpg' -mtime +"$KEEP_DAYS" -delete
echo "$(date -Is) backup $OUT $(stat -c %s "$OUT") bytes"
