#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine, using Debian's docker-compose.
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
JWT_SECRET=check docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml: valid"
