package coach

import (
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// FocusRecorder is the part of a Store that keeps app focus time for
// content owners' reports (internal/store's *Store implements it). A Store
// without it records no focus time.
type FocusRecorder interface {
	// AddFocus adds a span d during which app was focused, ending at at.
	AddFocus(app, name string, d time.Duration, at time.Time) error
}

// UsageKey is the app a window counts as for focus time: its AppKey when
// guides match it, else "exe:<name>" or "class:<class>" as AppKey would
// give, so that apps without any guide are counted too (the topics to
// write next). Like AppKey it never holds the window title: a browser tab
// that no web-app rule matches counts as the browser.
func UsageKey(w guide.Window, matches []guide.Match, browsers []guide.Rule) App {
	if a := AppKey(w, matches, browsers); a.Key != "" {
		return a
	}
	if exe := exeName(w.Exe); exe != "" {
		name := w.Class
		if name == "" {
			name = exe
		}
		return App{Key: "exe:" + strings.ToLower(exe), Name: name}
	}
	if w.Class != "" {
		return App{Key: "class:" + strings.ToLower(w.Class), Name: w.Class}
	}
	return App{}
}

// focusSpan is the app being timed.
type focusSpan struct {
	app   App
	since time.Time
	// counted: part of this span was already recorded (FlushFocus), so
	// the rest counts however short.
	counted bool
}

// retime ends the focus span when the window's usage app changed, and
// starts the next. Called with c.mu held, after rematch.
func (c *Coach) retime(now time.Time) {
	app := App{}
	if c.unavailable == "" && !c.window.IsZero() {
		app = UsageKey(c.window, c.matches, c.cfg.Browsers)
	}
	if app.Key == c.span.app.Key {
		if app.Name != "" {
			c.span.app.Name = app.Name
		}
		return
	}
	c.endSpan(now)
	c.span = focusSpan{app: app, since: now}
}

// endSpan records the current span when it lasted Config.MinFocus or more
// (or continues a recorded one).
func (c *Coach) endSpan(now time.Time) {
	sp := c.span
	c.span = focusSpan{}
	if sp.app.Key == "" || c.focusRec == nil {
		return
	}
	d := now.Sub(sp.since)
	if d <= 0 || (!sp.counted && d < c.cfg.MinFocus) {
		return
	}
	if err := c.focusRec.AddFocus(sp.app.Key, sp.app.Name, d, now); err != nil {
		c.log.Error("could not record focus time", "app", sp.app.Key, "err", err)
	}
}

// FlushFocus records the focus time of the app focused now, so far, when
// it counts (see Config.MinFocus), and goes on timing it: call it before
// reading usage (an hourly export, quitting).
func (c *Coach) FlushFocus() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	sp := c.span
	if sp.app.Key == "" || (!sp.counted && now.Sub(sp.since) < c.cfg.MinFocus) {
		return // nothing focused, or too short so far: keep timing
	}
	c.endSpan(now)
	c.span = focusSpan{app: sp.app, since: now, counted: true}
}
