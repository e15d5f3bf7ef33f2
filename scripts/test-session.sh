#!/usr/bin/env bash
# Runs "$@" inside a private D-Bus session with a throwaway, unlocked gnome-keyring (a real
# Secret Service), so tests never touch the user's own keyring and CI needs no desktop session.
set -euo pipefail
exec dbus-run-session -- bash -c '
  set -euo pipefail
  export XDG_DATA_HOME="$(mktemp -d)"
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
  eval "$(printf %s breachdesk-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL BREACHDESK_TEST_SECRET_SERVICE=1
  "$@"
' bash "$@"
