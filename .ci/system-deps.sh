#!/usr/bin/env bash
# Installs what is missing from Debian's packages: by default what the tests need (a PostgreSQL
# server with initdb and pg_ctl, Chromium for Playwright); `system-deps.sh wrk postgresql`
# installs only those (make bench).
set -euo pipefail
wanted=("$@")
if [ ${#wanted[@]} -eq 0 ]; then wanted=(postgresql chromium); fi
need=()
for package in "${wanted[@]}"; do
  case "$package" in
    postgresql)
      if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        need+=(postgresql)
      fi ;;
    chromium) [ -x /usr/bin/chromium ] || need+=(chromium) ;;
    *) command -v "$package" >/dev/null 2>&1 || need+=("$package") ;;
  esac
done
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing ${need[*]} from Debian's packages ..."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
