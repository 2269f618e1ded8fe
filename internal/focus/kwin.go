//go:build linux

package focus

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/resources"
)

// The KDE Plasma backend loads a KWin script (resources/kwin) into the
// running KWin through its D-Bus scripting interface (org.kde.KWin,
// /Scripting). The script connects to workspace.windowActivated (Plasma 6)
// or workspace.clientActivated (KWin 5) and to the active window's caption
// and full-screen changes, and calls the method Focus of an object Cuecard
// exports on its own connection (callDBus). Calls from any other sender
// than KWin are refused. The script is never installed: it lives in the
// running KWin only and is unloaded by Close.
const (
	kwinService = "org.kde.KWin"
	// KWinObjectPath and KWinInterface name the object the KWin script
	// calls on Cuecard's bus connection.
	KWinObjectPath = dbus.ObjectPath("/io/github/cuecard/KWinFocus")
	KWinInterface  = "io.github.cuecard.KWinFocus"
)

// kwinStartTimeout bounds how long the script may take to send its first
// report (the window active when it starts); tests shorten it.
var kwinStartTimeout = 5 * time.Second

var kwinScripts atomic.Int64

type kwinBackend struct {
	name string // the script's name in KWin, unique to this tracker

	mu     sync.Mutex
	owner  string // KWin's unique bus name: the only sender accepted
	report func(shellFocus)
	hello  chan struct{} // closed by the first report after attach
	file   string        // the script file KWin reads
}

// newKWin starts the KDE Plasma backend. It fails at once when KWin is not
// on the session bus, or when the script cannot be loaded or does not
// report within a few seconds.
func newKWin(o Options) (Tracker, error) {
	return newShell(o, &kwinBackend{name: fmt.Sprintf("cuecard-focus-%d-%d", os.Getpid(), kwinScripts.Add(1))})
}

func (k *kwinBackend) desktop() string { return "KWin" }
func (k *kwinBackend) service() string { return kwinService }

func (k *kwinBackend) absent(*dbus.Conn) error {
	return fmt.Errorf("KWin focus tracking: KWin is not on the session bus (no owner of %s): this is not a KDE Plasma session", kwinService)
}

// kwinHandler is the object the script calls.
type kwinHandler struct{ k *kwinBackend }

// Focus is called by the script for each change of the active window, its
// caption or its full-screen state; empty strings mean no active window.
func (h kwinHandler) Focus(sender dbus.Sender, class, name, caption, pid, desktopFile, fullscreen string) *dbus.Error {
	k := h.k
	k.mu.Lock()
	owner, report, hello := k.owner, k.report, k.hello
	if string(sender) == owner && hello != nil {
		select {
		case <-hello:
		default:
			close(hello)
		}
	}
	k.mu.Unlock()
	if string(sender) != owner || report == nil {
		return dbus.NewError("org.freedesktop.DBus.Error.AccessDenied", []any{"only KWin reports the active window"})
	}
	var w guide.Window
	w.Class = class
	if w.Class == "" {
		w.Class = desktopFile
	}
	w.Instance = name
	w.Title = caption
	if p, err := strconv.Atoi(pid); err == nil && p > 0 {
		w.PID = p
	}
	w.Fullscreen = fullscreen == "true"
	report(shellFocus{w: w})
	return nil
}

func (k *kwinBackend) attach(c *dbus.Conn, report func(shellFocus)) (string, *shellFocus, error) {
	fail := func(format string, args ...any) (string, *shellFocus, error) {
		return "", nil, fmt.Errorf("KWin focus tracking: "+format, args...)
	}
	var owner string
	if err := c.BusObject().Call("org.freedesktop.DBus.GetNameOwner", 0, kwinService).Store(&owner); err != nil {
		return fail("find KWin on the session bus: %w", err)
	}
	hello := make(chan struct{})
	k.mu.Lock()
	k.owner, k.report, k.hello = owner, report, hello
	k.mu.Unlock()
	if err := c.Export(kwinHandler{k}, KWinObjectPath, KWinInterface); err != nil {
		return fail("export %s: %w", KWinObjectPath, err)
	}
	names := c.Names()
	if len(names) == 0 {
		return fail("no name on the session bus")
	}
	f, err := os.CreateTemp("", "cuecard-kwin-*.js")
	if err != nil {
		return fail("write the KWin script: %w", err)
	}
	_, err = f.WriteString(strings.ReplaceAll(resources.KWinScript, "@SERVICE@", names[0]))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return fail("write the KWin script: %w", err)
	}
	k.removeFile()
	k.mu.Lock()
	k.file = f.Name()
	k.mu.Unlock()
	scripting := c.Object(kwinService, "/Scripting")
	scripting.Call("org.kde.kwin.Scripting.unloadScript", 0, k.name) // a stale one of this name
	var id int32
	if err := scripting.Call("org.kde.kwin.Scripting.loadScript", 0, f.Name(), k.name).Store(&id); err != nil {
		k.removeFile()
		return fail("load the KWin script over D-Bus (org.kde.kwin.Scripting.loadScript): %w", err)
	}
	if id < 0 {
		k.removeFile()
		return fail("KWin refused to load the script (loadScript returned %d)", id)
	}
	// The script's object is /Scripting/ScriptN in Plasma 6 and /N in
	// KWin 5.27; Scripting.start runs every loaded script in both.
	var runErr error
	for _, p := range []string{fmt.Sprintf("/Scripting/Script%d", id), fmt.Sprintf("/%d", id)} {
		if runErr = c.Object(kwinService, dbus.ObjectPath(p)).Call("org.kde.kwin.Script.run", 0).Err; runErr == nil {
			break
		}
	}
	if runErr != nil {
		if err := scripting.Call("org.kde.kwin.Scripting.start", 0).Err; err != nil {
			k.detach(c)
			return fail("run the KWin script: %v; %w", runErr, err)
		}
	}
	select {
	case <-hello:
	case <-time.After(kwinStartTimeout):
		k.detach(c)
		return fail("the KWin script did not report the active window within %s", kwinStartTimeout)
	}
	return "tracking the focused window through KWin (a KWin script loaded over D-Bus)", nil, nil
}

func (k *kwinBackend) signal(*dbus.Signal) (shellFocus, bool) { return shellFocus{}, false }

func (k *kwinBackend) detach(c *dbus.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	c.Object(kwinService, "/Scripting").CallWithContext(ctx, "org.kde.kwin.Scripting.unloadScript", 0, k.name)
	k.mu.Lock()
	k.report = nil
	k.mu.Unlock()
	k.removeFile()
}

func (k *kwinBackend) removeFile() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.file != "" {
		os.Remove(k.file)
		k.file = ""
	}
}
