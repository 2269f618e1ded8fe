package ui

import (
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui/kit"
)

// IsGnome reports whether the desktop is GNOME (XDG_CURRENT_DESKTOP names
// it, as in "GNOME" or "ubuntu:GNOME"); getenv nil means os.Getenv.
func IsGnome(getenv func(string) string) bool {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, d := range strings.Split(getenv("XDG_CURRENT_DESKTOP"), ":") {
		if strings.EqualFold(strings.TrimSpace(d), "GNOME") {
			return true
		}
	}
	return false
}

// GnomeSetupSize is the size of the "Cuecard on GNOME" window.
var GnomeSetupSize = fyne.NewSize(520, 360)

// GnomeSetupInfo is what the "Cuecard on GNOME" window offers, each only
// with the user's consent (a button they press).
type GnomeSetupInfo struct {
	// InstallExtension installs the GNOME focus helper (Cuecard's GNOME
	// Shell extension) and returns what to tell the user; nil: not
	// offered (the helper runs, or this is not GNOME Shell).
	InstallExtension func() (string, error)
	// Hotkey is the search hotkey the shortcut would use ("Ctrl+Alt+Space");
	// AddShortcut adds it as a GNOME keyboard shortcut that opens Cuecard's
	// search. Nil: not offered (the hotkey works).
	Hotkey      string
	AddShortcut func() (string, error)
	OnClose     func()
}

// GnomeSetup is the "Cuecard on GNOME" window's content: what GNOME needs
// for Cuecard to see the focused app and to open its search with a key.
type GnomeSetup struct {
	widget.BaseWidget
	content fyne.CanvasObject
	// Install and Shortcut are the offers' buttons (nil when not offered);
	// Result says how each went.
	Install, Shortcut *kit.Button
	Result            *widget.Label
}

// NewGnomeSetup makes the window's content.
func NewGnomeSetup(info GnomeSetupInfo) *GnomeSetup {
	g := &GnomeSetup{Result: widget.NewLabel("")}
	g.Result.Wrapping = fyne.TextWrapWord
	title := kit.NewText("Cuecard on GNOME", kit.HeadingStyle(2))
	body := container.NewVBox()
	var results []string
	say := func(msg string) {
		results = append(results, msg)
		g.Result.SetText(strings.Join(results, "\n\n"))
	}
	if info.InstallExtension != nil {
		body.Add(kit.NewText("The GNOME focus helper", kit.Style{Bold: true}))
		body.Add(kit.NewFlowText(kit.Run{Text: "On GNOME, only an extension of GNOME Shell can tell Cuecard which app you are using, so that the panel shows its guides. " +
			"Cuecard can install its small extension (it reports the focused window to Cuecard only) into your extensions folder and enable it. " +
			"GNOME loads new extensions when you log in, so it works after you log out and back in."}))
		g.Install = kit.NewButton("Install the GNOME focus helper", nil, nil)
		g.Install.Importance = widget.HighImportance
		g.Install.OnTapped = func() {
			msg, err := info.InstallExtension()
			if err != nil {
				say("The GNOME focus helper was not installed: " + err.Error())
				return
			}
			g.Install.Disable()
			say(msg)
		}
		body.Add(container.NewHBox(g.Install))
	}
	if info.AddShortcut != nil {
		if len(body.Objects) > 0 {
			body.Add(widget.NewSeparator())
		}
		body.Add(kit.NewText("A key for the search", kit.Style{Bold: true}))
		body.Add(kit.NewFlowText(
			kit.Run{Text: "This GNOME does not let apps register a global hotkey on Wayland. Cuecard can add a keyboard shortcut to GNOME's settings instead: "},
			kit.Run{Text: info.Hotkey, Style: kit.Style{Bold: true}},
			kit.Run{Text: " will run "}, kit.Run{Text: "cuecard search --show", Style: kit.Style{Mono: true}},
			kit.Run{Text: ", which opens Cuecard's search. You can change or remove it in Settings > Keyboard > Custom Shortcuts."}))
		g.Shortcut = kit.NewButton("Add the keyboard shortcut", nil, nil)
		g.Shortcut.OnTapped = func() {
			msg, err := info.AddShortcut()
			if err != nil {
				say("The keyboard shortcut was not added: " + err.Error())
				return
			}
			g.Shortcut.Disable()
			say(msg)
		}
		body.Add(container.NewHBox(g.Shortcut))
	}
	body.Add(g.Result)
	body.Add(kit.Subtle("This window is shown once; Settings offers the same later."))
	buttons := container.NewHBox(layout.NewSpacer())
	if info.OnClose != nil {
		buttons.Add(kit.NewButton("Close", nil, info.OnClose))
	}
	g.content = container.NewBorder(container.NewVBox(title, widget.NewSeparator()), buttons, nil, nil, container.NewVScroll(body))
	g.ExtendBaseWidget(g)
	return g
}

// CreateRenderer draws the content.
func (g *GnomeSetup) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(g.content) }

// SetGnomeSetup makes Settings offer the "Cuecard on GNOME" window with
// info (UI goroutine: use Do).
func (s *Shell) SetGnomeSetup(info GnomeSetupInfo) { s.gnome = &info }

// gnomeBar is the line at the top of Settings that opens the "Cuecard on
// GNOME" window, or nil when there is nothing to offer.
func (s *Shell) gnomeBar() fyne.CanvasObject {
	if s.gnome == nil {
		return nil
	}
	info := *s.gnome
	open := kit.NewButton("Cuecard on GNOME...", nil, func() { s.ShowGnomeSetup(info) })
	return container.NewVBox(container.NewBorder(nil, nil, nil, open,
		kit.Subtle("GNOME needs Cuecard's focus helper or a keyboard shortcut.")), widget.NewSeparator())
}

// ShowGnomeSetup opens the "Cuecard on GNOME" window (on the UI
// goroutine: use Do).
func (s *Shell) ShowGnomeSetup(info GnomeSetupInfo) {
	w := s.newWindow("Cuecard on GNOME")
	info.OnClose = w.Close
	w.SetContent(NewGnomeSetup(info))
	s.bindKeys(w, kit.Keys{Close: w.Close})
	w.Resize(GnomeSetupSize)
	w.SetFixedSize(true) // floats under tiling window managers, as the no-tray notice
	w.CenterOnScreen()
	w.Show()
}
