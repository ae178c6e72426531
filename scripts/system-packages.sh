#!/usr/bin/env bash
# Installs the Debian packages Infopoint needs, when missing. Usage: system-packages.sh run|test|bench
# Without root it only says what is missing: the tests that need a package then skip.
set -eu
needed=(gettext:msgfmt)
if [ "${1:-run}" = "test" ]; then
  needed+=(chromium:chromium dovecot-imapd:/usr/sbin/dovecot)
fi
# The load generator of the load benchmark (make bench-load), only there.
if [ "${1:-run}" = "bench" ]; then
  needed+=(wrk:wrk)
fi
missing=()
for pair in "${needed[@]}"; do
  package=${pair%%:*}
  command=${pair#*:}
  command -v "$command" >/dev/null 2>&1 || [ -x "$command" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]} (install them as root; tests that need them skip)." >&2
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet.
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Dovecot's package starts a system-wide server; the tests run their own on other ports.
if printf '%s\n' "${missing[@]}" | grep -qx dovecot-imapd; then
  (systemctl stop dovecot 2>/dev/null || service dovecot stop 2>/dev/null || pkill -x dovecot) || true
fi
