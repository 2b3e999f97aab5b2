#!/bin/sh
# Prepares a Temporal cluster on PostgreSQL for tminus, idempotently. The same script runs in docker-compose.yml
# (the one-shot temporalio/admin-tools jobs) and in `npm run test:cluster` (the locally built tools):
#   temporal-setup.sh schema     creates the databases and applies/updates the schema (before the server starts)
#   temporal-setup.sh namespace  creates the namespace and registers tminus's search attributes (server running)
# Environment: POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, SQL_PASSWORD (schema); TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
# TEMPORAL_NAMESPACE_RETENTION (namespace); SCHEMA_DIR (default: where temporalio/admin-tools keeps it).
set -eu

SCHEMA_DIR=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
ATTEMPTS=${SETUP_ATTEMPTS:-60}

retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$ATTEMPTS" ]; then
      echo "temporal-setup: gave up after $ATTEMPTS attempts: $*" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

# The password comes from SQL_PASSWORD in the environment (read by the tool), never from the command line.
sql_tool() {
  : "${SQL_PASSWORD:?set SQL_PASSWORD}"
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS:?set POSTGRES_SEEDS}" -p "${DB_PORT:-5432}" \
    -u "${POSTGRES_USER:?set POSTGRES_USER}" "$@"
}

# Succeeds when the database is created or already exists; fails (to be retried) while PostgreSQL is not up.
create_database() {
  out=$(sql_tool --db "$1" create-database 2>&1) && return 0
  echo "$out" | grep -qi 'already exists'
}

schema() {
  for db in temporal temporal_visibility; do
    dir=$([ "$db" = temporal ] && echo temporal || echo visibility)
    # setup-schema -v 0.0 only creates the version tables; update-schema applies every versioned step missing.
    retry create_database "$db"
    sql_tool --db "$db" setup-schema -v 0.0
    sql_tool --db "$db" update-schema -d "$SCHEMA_DIR/$dir/versioned"
  done
  echo "temporal-setup: schema up to date"
}

# tminus's custom search attributes, by type. Kept equal to libs/contracts/search-attributes.ts by a unit test
# (scripts/cluster/temporal-setup.spec.ts). SQL visibility allows at most 3 KeywordList attributes.
SEARCH_ATTRIBUTES="
Keyword TminusCongress TminusUnit TminusKind TminusStatus TminusPhase TminusContingency
Int TminusOverdueCount TminusEscalationLevel TminusFailedDeliveries
Datetime TminusNextDeadline
KeywordList TminusAssignees TminusAgencies TminusPendingApprovals
"

namespace() {
  address=${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}
  retry temporal operator cluster health --address "$address" >/dev/null
  if ! temporal operator namespace describe --address "$address" --namespace "$NAMESPACE" >/dev/null 2>&1; then
    retry temporal operator namespace create --address "$address" --namespace "$NAMESPACE" \
      --retention "${TEMPORAL_NAMESPACE_RETENTION:-30d}"
  fi
  existing=$(retry temporal operator search-attribute list --address "$address" --namespace "$NAMESPACE")
  echo "$SEARCH_ATTRIBUTES" | while read -r type names; do
    for name in $names; do
      echo "$existing" | grep -qw "$name" && continue
      # One attribute per call: given several --name flags, the Temporal CLI (1.9.1) registered only some of them.
      retry temporal operator search-attribute create --address "$address" --namespace "$NAMESPACE" \
        --type "$type" --name "$name" >/dev/null
      echo "temporal-setup: search attribute $name ($type) registered"
    done
  done
  echo "temporal-setup: namespace $NAMESPACE ready with tminus's search attributes"
}

case "${1:-}" in
  schema) schema ;;
  namespace) namespace ;;
  *)
    echo "usage: temporal-setup.sh schema|namespace" >&2
    exit 2
    ;;
esac
