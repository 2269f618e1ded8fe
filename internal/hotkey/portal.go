//go:build linux || freebsd || netbsd || openbsd || dragonfly

package hotkey

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/godbus/dbus/v5"
)

// The xdg-desktop-portal GlobalShortcuts interface (version 1).
const (
	portalName     = "org.freedesktop.portal.Desktop"
	portalPath     = dbus.ObjectPath("/org/freedesktop/portal/desktop")
	portalIface    = "org.freedesktop.portal.GlobalShortcuts"
	portalRequest  = "org.freedesktop.portal.Request"
	portalSession  = "org.freedesktop.portal.Session"
	portalActivate = portalIface + ".Activated"
)

// Timeouts of the portal backend; tests may shorten them.
var (
	// portalStart bounds the first call, which may start the portal
	// (D-Bus activation) and its desktop backend.
	portalStart = 10 * time.Second
	// portalAnswer bounds the wait for a request's Response.
	portalAnswer = 10 * time.Second
)

// errNoPortal is wrapped when the session has no GlobalShortcuts portal:
// Register then falls back to X11.
var errNoPortal = errors.New("the desktop offers no GlobalShortcuts portal")

// errDeclined is wrapped when the user declined the shortcut in the
// desktop's dialog.
var errDeclined = errors.New("declined")

// portalShortcut is one shortcut of the portal's a(sa{sv}).
type portalShortcut struct {
	ID   string
	Opts map[string]dbus.Variant
}

// Trigger is k in the XDG shortcuts format that GlobalShortcuts takes as
// preferred_trigger: modifiers CTRL, ALT, SHIFT, LOGO, then the key's xkb
// keysym name ("CTRL+ALT+space", "LOGO+F1", "CTRL+ALT+grave").
func Trigger(k Key) (string, error) {
	if _, err := k.keysym(); err != nil {
		return "", err
	}
	var parts []string
	for _, m := range []struct {
		mod  Modifier
		name string
	}{{Ctrl, "CTRL"}, {Alt, "ALT"}, {Shift, "SHIFT"}, {Super, "LOGO"}} {
		if k.Mods&m.mod != 0 {
			parts = append(parts, m.name)
		}
	}
	return strings.Join(append(parts, xkbName(k.Name)), "+"), nil
}

// portalID is the shortcut's id in the portal: the purpose and the key,
// so that a new key is a new shortcut and not the desktop's memory of the
// old one.
func portalID(o Options, k Key) string {
	id := o.ID
	if id == "" {
		id = "hotkey"
	}
	return id + ":" + k.String()
}

// sessionToken is the portal session's token: one per purpose, which KDE
// turns into the name of the shortcuts' group in its settings.
func sessionToken(o Options) string {
	id := o.ID
	if id == "" {
		id = "hotkey"
	}
	var b strings.Builder
	b.WriteString("cuecard_")
	for _, r := range id {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// portal is a registered hotkey's portal session.
type portal struct {
	h       *Hotkey
	opts    Options
	addr    string
	id      string
	trigger string

	conn    *dbus.Conn
	session dbus.ObjectPath
	signals chan *dbus.Signal
}

// registerPortal registers k through the GlobalShortcuts portal on the
// session bus. An error wrapping errNoPortal means there is none.
func registerPortal(ctx context.Context, k Key, o Options) (*Hotkey, error) {
	addr := o.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		return nil, fmt.Errorf("%w: no session bus (DBUS_SESSION_BUS_ADDRESS is not set)", errNoPortal)
	}
	trigger, err := Trigger(k)
	if err != nil {
		return nil, err
	}
	p := &portal{h: newHotkey(k, o), opts: o, addr: addr, id: portalID(o, k), trigger: trigger}
	p.h.portal = true
	if err := p.open(ctx); err != nil {
		return nil, err
	}
	p.h.setStatus(Status{Active: true})
	go p.run()
	return p.h, nil
}

// open connects to the bus, checks that the portal offers
// GlobalShortcuts, creates the session with the shortcut and makes sure
// the desktop bound it.
func (p *portal) open(ctx context.Context) (err error) {
	conn, err := dbus.Connect(p.addr)
	if err != nil {
		return fmt.Errorf("%w: cannot connect to the session bus: %v", errNoPortal, err)
	}
	defer func() {
		if err != nil {
			conn.Close()
		}
	}()
	sctx, cancel := context.WithTimeout(ctx, portalStart)
	defer cancel()
	var version uint32
	v, err := conn.Object(portalName, portalPath).GetProperty(portalIface + ".version")
	if err == nil {
		err = v.Store(&version)
	}
	if sctx.Err() != nil {
		return sctx.Err()
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errNoPortal, err)
	}
	p.conn = conn
	p.signals = make(chan *dbus.Signal, 16)
	conn.Signal(p.signals)
	for _, m := range [][]dbus.MatchOption{
		{dbus.WithMatchInterface(portalIface), dbus.WithMatchMember("Activated")},
		{dbus.WithMatchInterface(portalSession), dbus.WithMatchMember("Closed")},
		{dbus.WithMatchInterface("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, portalName)},
	} {
		if err := conn.AddMatchSignalContext(ctx, m...); err != nil {
			return fmt.Errorf("GlobalShortcuts portal: watch its signals: %w", err)
		}
	}

	shortcut := []portalShortcut{{ID: p.id, Opts: map[string]dbus.Variant{
		"description":       dbus.MakeVariant(p.description()),
		"preferred_trigger": dbus.MakeVariant(p.trigger),
	}}}
	res, err := p.request(ctx, "CreateSession", func(token string) []any {
		return []any{map[string]dbus.Variant{
			"handle_token":         dbus.MakeVariant(token),
			"session_handle_token": dbus.MakeVariant(sessionToken(p.opts)),
			// Plasma registers shortcuts passed here at once, without a
			// dialog (its BindShortcuts only opens System Settings).
			"shortcuts": dbus.MakeVariant(shortcut),
		}}
	})
	if err != nil {
		if errors.Is(err, errStopped) || ctx.Err() != nil || errors.Is(err, errDeclined) {
			return err
		}
		// A frontend whose desktop backend cannot do it (GNOME 43 with
		// xdg-desktop-portal 1.16 answers CreateSession with an error):
		// as if there were no portal.
		return fmt.Errorf("%w: %v", errNoPortal, err)
	}
	var handle string
	if v, ok := res["session_handle"]; ok {
		// Version 1 of the spec says a string; some portals send a path.
		switch s := v.Value().(type) {
		case string:
			handle = s
		case dbus.ObjectPath:
			handle = string(s)
		}
	}
	if !dbus.ObjectPath(handle).IsValid() {
		return fmt.Errorf("GlobalShortcuts portal: CreateSession returned no session handle")
	}
	p.session = dbus.ObjectPath(handle)

	bound, err := p.list(ctx)
	if err != nil {
		return err
	}
	if _, ok := bound[p.id]; !ok {
		// Other desktops bind (and may ask the user) here.
		res, err := p.request(ctx, "BindShortcuts", func(token string) []any {
			return []any{p.session, shortcut, "", map[string]dbus.Variant{"handle_token": dbus.MakeVariant(token)}}
		})
		if err != nil {
			p.closeSession()
			return err
		}
		bound = shortcutsOf(res)
	}
	if trig, ok := bound[p.id]; !ok || trig == "" {
		p.closeSession()
		if ok {
			return taken(p.h.key, errors.New("the desktop bound the shortcut to no key"))
		}
		return unavailable(fmt.Sprintf("the desktop did not bind %s through the GlobalShortcuts portal: set it in the desktop's keyboard shortcuts settings", p.h.key), nil)
	} else {
		p.opts.Logger.Info("hotkey: the desktop bound the shortcut", "key", p.h.key.String(), "id", p.id, "trigger", trig)
	}
	return nil
}

func (p *portal) description() string {
	if p.opts.Description != "" {
		return p.opts.Description
	}
	return "Cuecard"
}

// list is the session's shortcuts: id to the desktop's description of
// the key that triggers it.
func (p *portal) list(ctx context.Context) (map[string]string, error) {
	res, err := p.request(ctx, "ListShortcuts", func(token string) []any {
		return []any{p.session, map[string]dbus.Variant{"handle_token": dbus.MakeVariant(token)}}
	})
	if err != nil {
		return nil, err
	}
	return shortcutsOf(res), nil
}

// shortcutsOf reads a Response's "shortcuts" result.
func shortcutsOf(res map[string]dbus.Variant) map[string]string {
	out := map[string]string{}
	v, ok := res["shortcuts"]
	if !ok {
		return out
	}
	var list []portalShortcut
	if err := dbus.Store([]any{v.Value()}, &list); err != nil {
		return out
	}
	for _, s := range list {
		trig := ""
		if d, ok := s.Opts["trigger_description"]; ok {
			trig, _ = d.Value().(string)
		}
		out[s.ID] = trig
	}
	return out
}

// request calls a portal method that answers through a Request object's
// Response signal, and returns the results of a successful answer.
func (p *portal) request(ctx context.Context, method string, args func(token string) []any) (map[string]dbus.Variant, error) {
	var b [8]byte
	rand.Read(b[:])
	token := "cuecard" + hex.EncodeToString(b[:])
	sender := strings.ReplaceAll(strings.TrimPrefix(p.conn.Names()[0], ":"), ".", "_")
	path := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" + sender + "/" + token)
	ch := make(chan *dbus.Signal, 4)
	p.conn.Signal(ch)
	defer p.conn.RemoveSignal(ch)
	match := []dbus.MatchOption{dbus.WithMatchObjectPath(path), dbus.WithMatchInterface(portalRequest), dbus.WithMatchMember("Response")}
	if err := p.conn.AddMatchSignalContext(ctx, match...); err != nil {
		return nil, fmt.Errorf("GlobalShortcuts portal: %s: %w", method, err)
	}
	defer p.conn.RemoveMatchSignal(match...)
	cctx, cancel := context.WithTimeout(ctx, portalAnswer)
	defer cancel()
	var handle dbus.ObjectPath
	if err := p.conn.Object(portalName, portalPath).CallWithContext(cctx, portalIface+"."+method, 0, args(token)...).Store(&handle); err != nil {
		return nil, unavailable(fmt.Sprintf("the GlobalShortcuts portal refused %s: %v", method, err), err)
	}
	for {
		select {
		case s := <-ch:
			if s.Path != path && s.Path != handle || s.Name != portalRequest+".Response" || len(s.Body) < 2 {
				continue
			}
			code, _ := s.Body[0].(uint32)
			res, _ := s.Body[1].(map[string]dbus.Variant)
			switch code {
			case 0:
				return res, nil
			case 1:
				return nil, unavailable(fmt.Sprintf("the global shortcut %s was declined on the desktop: allow it in its keyboard shortcuts settings", p.h.key), errDeclined)
			default:
				return nil, unavailable(fmt.Sprintf("the GlobalShortcuts portal could not %s (response %d)", method, code), nil)
			}
		case <-cctx.Done():
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, unavailable(fmt.Sprintf("the GlobalShortcuts portal did not answer %s within %s", method, portalAnswer), cctx.Err())
		case <-p.h.stop:
			return nil, errStopped
		}
	}
}

// closeSession ends the session (the desktop forgets its shortcuts) and
// the connection.
func (p *portal) closeSession() {
	if p.session != "" {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		p.conn.Object(portalName, p.session).CallWithContext(ctx, portalSession+".Close", 0)
		cancel()
		p.session = ""
	}
	p.conn.RemoveSignal(p.signals)
	p.conn.Close()
}

// run turns Activated signals into presses until Close; when the portal
// goes away it reports that and opens a session again with backoff.
func (p *portal) run() {
	defer p.h.finish()
	for {
		err := p.watch()
		if err == nil {
			p.closeSession()
			return
		}
		p.closeSession()
		p.h.setStatus(Status{Err: err})
		delay := p.opts.Retry
		for {
			select {
			case <-p.h.stop:
				return
			case <-time.After(delay):
			}
			delay = min(delay*2, p.opts.RetryMax)
			err = p.open(context.Background())
			if err == nil {
				break
			}
			if errors.Is(err, errStopped) {
				return
			}
			p.h.setStatus(Status{Err: err})
		}
		p.h.setStatus(Status{Active: true})
	}
}

// watch reads signals until Close (nil) or the session's end (why).
func (p *portal) watch() error {
	for {
		select {
		case <-p.h.stop:
			return nil
		case s, ok := <-p.signals:
			if !ok {
				return unavailable("lost the connection to the session bus", nil)
			}
			switch s.Name {
			case portalActivate:
				if len(s.Body) >= 2 && s.Body[0] == p.session && s.Body[1] == p.id {
					p.h.press()
				}
			case portalSession + ".Closed":
				if s.Path == p.session {
					p.session = ""
					return unavailable("the desktop closed the GlobalShortcuts session", nil)
				}
			case "org.freedesktop.DBus.NameOwnerChanged":
				if len(s.Body) == 3 && s.Body[0] == portalName && s.Body[2] == "" {
					p.session = ""
					return unavailable("the GlobalShortcuts portal left the session bus", nil)
				}
			}
		}
	}
}
