// Cuecard's KWin script: reports the active window to Cuecard over D-Bus.
// Cuecard loads it into the running KWin through org.kde.kwin.Scripting and
// unloads it when it stops; it is never installed. @SERVICE@ is replaced by
// Cuecard's bus name before loading.
//
// Plasma 6 names the signal workspace.windowActivated and the property
// workspace.activeWindow; KWin 5 says clientActivated and activeClient. The
// script uses whichever exists.
(function () {
	var service = "@SERVICE@";
	var path = "/io/github/cuecard/KWinFocus";
	var iface = "io.github.cuecard.KWinFocus";
	var watched = null;

	function text(v) {
		return v === undefined || v === null ? "" : String(v);
	}

	// All arguments are strings: callDBus converts JavaScript numbers to
	// doubles, which would not match an integer argument.
	function send(w) {
		if (!w) {
			callDBus(service, path, iface, "Focus", "", "", "", "", "", "");
			return;
		}
		callDBus(service, path, iface, "Focus",
			text(w.resourceClass), text(w.resourceName), text(w.caption),
			text(w.pid), text(w.desktopFileName), w.fullScreen ? "true" : "false");
	}

	function changed() {
		if (watched) {
			send(watched);
		}
	}

	function activated(w) {
		if (watched) {
			try {
				watched.captionChanged.disconnect(changed);
				if (watched.fullScreenChanged) {
					watched.fullScreenChanged.disconnect(changed);
				}
			} catch (e) {
				// The window is gone.
			}
		}
		watched = w || null;
		if (watched) {
			watched.captionChanged.connect(changed);
			if (watched.fullScreenChanged) {
				watched.fullScreenChanged.connect(changed);
			}
		}
		send(watched);
	}

	if (workspace.windowActivated !== undefined) {
		workspace.windowActivated.connect(activated);
		activated(workspace.activeWindow);
	} else {
		workspace.clientActivated.connect(activated);
		activated(workspace.activeClient);
	}
})();
