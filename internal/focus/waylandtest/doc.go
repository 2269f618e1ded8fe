// Package waylandtest runs a real wlroots compositor for tests: a headless
// sway (WLR_BACKENDS=headless, pixman renderer, no input devices) with
// native Wayland clients (foot terminals with a chosen app_id and title)
// that a test focuses in turn through sway's IPC (what swaymsg sends). Tests start and
// stop everything themselves (t.Cleanup).
//
// sway refuses to run as root. When the test runs as root (CI containers),
// the compositor and its clients run as an unprivileged user, created on
// first use (useradd) and entered with setpriv; the test process, as root,
// can still connect to the compositor's socket. The runtime directory is a
// fresh directory owned by that user.
//
// When sway or foot is missing, Require skips the test with a
// message, or fails it when CI=true (CI must run these tests).
//
// It is for Linux only (the compositors are Linux programs).
package waylandtest
