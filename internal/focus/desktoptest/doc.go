// Package desktoptest runs real headless Wayland desktops for tests: KWin
// (kwin_wayland --virtual) and GNOME Shell (gnome-shell --headless), each
// with a private D-Bus session bus and runtime folder of its own, and native
// Wayland test windows (GTK 3 through python3-gi) with chosen app ids and
// titles. Tests start and stop everything themselves (t.Cleanup).
//
// When a program is missing, the test is skipped with a message, or fails
// when CI=true (CI must run these tests; `.ci/deps test` installs them).
//
// The helpers need Linux; on other systems the package is empty.
package desktoptest
