#!/bin/bash
# Takes docs/screenshots/tray-menu.png: Cuecard's tray menu as a real tray
# host (the Xfce panel) shows it, with LibreOffice Calc focused and the
# suggestion panel up. Needs Xvfb, openbox, xfce4-panel, dbus, xdotool and
# ImageMagick (apt install xvfb openbox xfce4-panel dbus-x11 xdotool imagemagick).
# Run from the repository: docs/screenshots/tray.sh
set -eu
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] || [ -z "${CUECARD_SHOT_INNER:-}" ]; then
	exec env CUECARD_SHOT_INNER=1 dbus-run-session -- "$0" "$@"
fi
out=${1:-docs/screenshots/tray-menu.png}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
go build -o "$tmp/cuecard" ./cmd/cuecard
go build -o "$tmp/testwin" ./internal/focus/focustest/testwin
Xvfb :91 -screen 0 1024x600x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1
export DISPLAY=:91
openbox >/dev/null 2>&1 &
xfce4-panel >/dev/null 2>&1 &
sleep 4
export CUECARD_CONFIG=$tmp/config CUECARD_CACHE=$tmp/cache CUECARD_DATA=$tmp/data CUECARD_RUNTIME=$tmp/run
mkdir -p "$CUECARD_RUNTIME"
"$tmp/cuecard" --library resources/library app >/dev/null 2>&1 &
sleep 5
mkfifo "$tmp/in"
tail -f "$tmp/in" | "$tmp/testwin" >/dev/null 2>&1 &
printf 'open\ta\tself\tlibreoffice\tlibreoffice-calc\tQ4 budget.ods - LibreOffice Calc\n' >"$tmp/in"
sleep 3
# The tray icon sits left of the clock; right-click opens its menu.
xdotool mousemove 898 13 click 3
sleep 1
xdotool mousemove 760 43
sleep 1
import -window root "$out"
echo "wrote $out"
