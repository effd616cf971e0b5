#!/usr/bin/env bash
# Back up a BCF database with pg_dump -Fc, restore it into a fresh database, and prove the copy:
# the same totals of money and values, the same history (ValueChange, batches, sign-off events)
# row counts, the same digest versions. Exits non-zero on any difference.
#
#   bench/backup_restore.sh [SOURCE_URL] [RESTORE_DB_NAME]
#
# Default: the benchmark database into bcf_restore_check (dropped first, left for inspection).
set -euo pipefail
src=${1:-postgres://postgres@127.0.0.1:5433/bcf_bench}
target=${2:-bcf_restore_check}
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
server=${src%/*}
dump=$(mktemp /tmp/bcf-backup.XXXXXX.dump)
trap 'rm -f "$dump"' EXIT

start=$(date +%s)
"$pgbin/pg_dump" -Fc --no-owner -f "$dump" "$src"
echo "dump: $(du -h "$dump" | cut -f1) in $(( $(date +%s) - start )) s"

"$pgbin/psql" -q -v ON_ERROR_STOP=1 "$server/postgres" -c "DROP DATABASE IF EXISTS \"$target\"" \
  -c "CREATE DATABASE \"$target\""
start=$(date +%s)
"$pgbin/pg_restore" --no-owner --exit-on-error -j 2 -d "$server/$target" "$dump"
echo "restore: $(( $(date +%s) - start )) s"

checks="
SELECT 'scheme values', count(*), coalesce(sum(value), 0) FROM schemes_schemevalue
UNION ALL SELECT 'metric values', count(*), coalesce(sum(value), 0) FROM metrics_metricvalue
UNION ALL SELECT 'budgets', count(*), coalesce(sum(budget), 0) FROM schemes_schemeyear
UNION ALL SELECT 'contributions', count(*), coalesce(sum(amount), 0) FROM funding_contribution
UNION ALL SELECT 'value changes (history)', count(*), coalesce(sum(new_value), 0) FROM bcf_dashboard_valuechange
UNION ALL SELECT 'import batches', count(*), 0 FROM bcf_dashboard_importbatch
UNION ALL SELECT 'quarter returns', count(*), 0 FROM bcf_dashboard_quarterreturn
UNION ALL SELECT 'sign-off events', count(*), 0 FROM bcf_dashboard_quarterreturnevent
UNION ALL SELECT 'historical schemes', count(*), 0 FROM schemes_historicalscheme
UNION ALL SELECT 'digests (sum of versions)', count(*), coalesce(sum(version), 0) FROM digests_areayeardigest
UNION ALL SELECT 'users', count(*), 0 FROM auth_user
ORDER BY 1"
"$pgbin/psql" -At -F ' | ' "$src" -c "$checks" > "$dump.source"
"$pgbin/psql" -At -F ' | ' "$server/$target" -c "$checks" > "$dump.restored"
trap 'rm -f "$dump" "$dump.source" "$dump.restored"' EXIT
echo "table | rows | total"
cat "$dump.restored"
if diff -u "$dump.source" "$dump.restored"; then
  echo "restore check: the restored database matches the source"
else
  echo "restore check FAILED: the restored database differs from the source" >&2
  exit 1
fi
