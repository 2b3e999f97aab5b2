#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine, using Debian's docker-compose: the file is valid with its
# secrets set, and refuses to start when any of them is missing (no default passwords).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "check-compose: docker-compose is not installed and apt-get is not available;" \
         "install docker-compose and run again." >&2
    exit 1
  fi
  echo "check-compose: installing docker-compose with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi

docker-compose --version
REQUIRED=(POSTGRES_PASSWORD JWT_SECRET PAYLOAD_ENCRYPTION_KEYS PAYLOAD_ENCRYPTION_ACTIVE_KEY TMINUS_PUBLIC_URL)
declare -A SAMPLE=(
  [POSTGRES_PASSWORD]=check-only
  [JWT_SECRET]=check-only-0123456789
  [PAYLOAD_ENCRYPTION_KEYS]=k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
  [PAYLOAD_ENCRYPTION_ACTIVE_KEY]=k1
  [TMINUS_PUBLIC_URL]=https://tminus.example.org
)
config() { env -u "${1:-NONE}" docker-compose -f docker-compose.yml config -q; }
for name in "${REQUIRED[@]}"; do export "$name=${SAMPLE[$name]}"; done
unset POSTGRES_USER TEMPORAL_NAMESPACE

config
for name in "${REQUIRED[@]}"; do
  if config "$name" 2>/dev/null; then
    echo "docker-compose.yml starts without $name: it must refuse" >&2
    exit 1
  fi
done
echo "docker-compose.yml: valid; refuses to start without ${REQUIRED[*]}"
