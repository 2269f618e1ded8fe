package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui/kit"
	"github.com/cuecard/cuecard/resources"
)

// AboutSize is the size the About/Welcome window is designed for;
// WelcomeProfileSize the welcome's with the profile step.
var (
	AboutSize          = fyne.NewSize(480, 340)
	WelcomeProfileSize = fyne.NewSize(520, 560)
)

// AppIcon is Cuecard's icon, for the windows and the tray.
func AppIcon() fyne.Resource {
	return fyne.NewStaticResource("cuecard.png", resources.IconPNG)
}

// AboutInfo is what the About/Welcome page says and offers.
type AboutInfo struct {
	Version string
	// LibraryDir is the library folder, or a description of a git library.
	LibraryDir string
	// Hotkey is the search hotkey as the user sees it, e.g. "Ctrl+Alt+Space".
	Hotkey string
	// Welcome turns the page into the first-run welcome.
	Welcome bool
	// SampleInstalled says the sample library was just installed.
	SampleInstalled bool
	// Profile, in the welcome, asks for the person's role and first day
	// for the Start-here track (skippable); nil: not asked.
	Profile *ProfileForm
	// Buttons are shown for the callbacks that are set.
	OnOpenFolder func()
	OnSearch     func()
	OnClose      func()
}

// NewAbout returns the About page, or the Welcome page of the first run.
func NewAbout(info AboutInfo) fyne.CanvasObject {
	icon := canvas.NewImageFromResource(AppIcon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(64, 64))

	heading := "Cuecard"
	if info.Welcome {
		heading = "Welcome to Cuecard"
	}
	title := kit.NewText(heading, kit.HeadingStyle(1))
	sub := "Short guides for the app you are using, when you need them."
	if info.Version != "" && !info.Welcome {
		sub = "Version " + info.Version + ". " + sub
	}
	subL := kit.Subtle(sub)
	top := container.NewBorder(nil, nil, icon, nil, container.NewVBox(title, subL))

	code := kit.Style{Mono: true}
	plain := kit.Style{}
	bold := kit.Style{Bold: true}
	var paras []fyne.CanvasObject
	var runs []kit.Run
	add := func(st kit.Style, s string) { runs = append(runs, kit.Run{Text: s, Style: st}) }
	para := func() {
		paras = append(paras, kit.NewFlowText(runs...))
		runs = nil
	}

	if info.Welcome {
		add(plain, "When you open an app for the first time, Cuecard shows its guides in a small panel in the corner of the screen.")
		para()
	}
	hotkey := info.Hotkey
	if hotkey == "" {
		hotkey = "the search hotkey"
	}
	add(plain, "Press ")
	add(bold, hotkey)
	add(plain, " (or use the tray icon) to search every guide.")
	para()
	if info.LibraryDir != "" {
		add(plain, "Your guides live in ")
		add(code, info.LibraryDir)
		add(plain, ". ")
	}
	if info.SampleInstalled {
		add(plain, "It holds a sample library to start from: change or delete its guides as you like. ")
	}
	add(plain, "Add a guide with ")
	add(code, "cuecard new")
	add(plain, ", or save a Markdown file in that folder: Cuecard picks it up within seconds. Check the library with ")
	add(code, "cuecard lint")
	add(plain, ".")
	para()
	body := container.NewVBox(paras...)
	if info.Welcome && info.Profile != nil {
		body.Add(widget.NewSeparator())
		body.Add(kit.NewText("About you (optional)", kit.Style{Bold: true}))
		body.Add(kit.Subtle("Your company's Start-here items and suggestions can depend on your role, and due dates on your first day. You can skip this and set it later in Settings."))
		body.Add(info.Profile)
	}

	buttons := container.NewHBox(layout.NewSpacer())
	if info.OnOpenFolder != nil {
		buttons.Add(kit.NewButton("Open library folder", theme.FolderOpenIcon(), info.OnOpenFolder))
	}
	if info.OnSearch != nil {
		b := kit.NewButton("Search guides", theme.SearchIcon(), info.OnSearch)
		b.Importance = widget.HighImportance
		buttons.Add(b)
	}
	if info.OnClose != nil {
		buttons.Add(kit.NewButton("Close", nil, info.OnClose))
	}
	return container.NewBorder(container.NewVBox(top, widget.NewSeparator()), buttons, nil, nil,
		container.NewVScroll(body))
}

// NoTraySize is the size of the "no tray icon" notice.
var NoTraySize = fyne.NewSize(460, 220)

// NoTrayInfo is what the "no tray icon" notice offers.
type NoTrayInfo struct {
	// Hotkey is the search hotkey, e.g. "Ctrl+Alt+Space" ("" when none
	// is registered).
	Hotkey string
	// Gnome: the desktop is GNOME, whose tray is the AppIndicator
	// extension: the notice names it.
	Gnome      bool
	OnSearch   func()
	OnSettings func()
	OnQuit     func()
	OnClose    func()
}

// NewNoTray is the notice shown once when the desktop has no system tray:
// Cuecard keeps working, and this says how to reach it without the icon.
func NewNoTray(info NoTrayInfo) fyne.CanvasObject {
	icon := canvas.NewImageFromResource(AppIcon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(48, 48))
	title := kit.NewText("Cuecard is running without a tray icon", kit.HeadingStyle(2))
	top := container.NewBorder(nil, nil, icon, nil, title)

	var runs []kit.Run
	add := func(st kit.Style, s string) { runs = append(runs, kit.Run{Text: s, Style: st}) }
	add(kit.Style{}, "This desktop shows no system tray, so Cuecard's icon and menu cannot appear. Everything else works: ")
	if info.Hotkey != "" {
		add(kit.Style{Bold: true}, info.Hotkey)
		add(kit.Style{}, " searches every guide, and ")
	}
	add(kit.Style{}, "the panel appears in the corner for apps that have guides. Run ")
	add(kit.Style{Mono: true}, "cuecard app")
	add(kit.Style{}, " again to open the search.")
	if info.Gnome {
		add(kit.Style{}, " GNOME shows tray icons only with the ")
		add(kit.Style{Bold: true}, "AppIndicator and KStatusNotifierItem Support")
		add(kit.Style{}, " extension: install it (Debian and Ubuntu: the package ")
		add(kit.Style{Mono: true}, "gnome-shell-extension-appindicator")
		add(kit.Style{}, "; Ubuntu has it on), enable it in the Extensions app, and log out and back in.")
	}
	add(kit.Style{}, " This notice is shown once.")
	body := kit.NewFlowText(runs...)

	buttons := container.NewHBox(layout.NewSpacer())
	if info.OnQuit != nil {
		buttons.Add(kit.NewButton("Quit Cuecard", nil, info.OnQuit))
	}
	if info.OnSettings != nil {
		buttons.Add(kit.NewButton("Settings", theme.SettingsIcon(), info.OnSettings))
	}
	if info.OnSearch != nil && info.Hotkey != "" {
		buttons.Add(kit.NewButton("Search guides", theme.SearchIcon(), info.OnSearch))
	}
	if info.OnClose != nil {
		ok := kit.NewButton("OK", nil, info.OnClose)
		ok.Importance = widget.HighImportance
		buttons.Add(ok)
	}
	return container.NewBorder(container.NewVBox(top, widget.NewSeparator()), buttons, nil, nil, body)
}
