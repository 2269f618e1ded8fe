package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/cuecard/cuecard/internal/autostart"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/record"
	"github.com/cuecard/cuecard/internal/ui"
)

// shellConfig is what the shell is made with: the app's callbacks and the
// viewer's sources.
func (a *App) shellConfig(ctx context.Context, hotkeyLabel, notice string) ui.ShellConfig {
	cfg := a.settings()
	// Remote images only from hosts the library's own settings name.
	var remote ui.RemoteImages
	ls, err := library.LoadSettings(a.root)
	if err != nil {
		a.log.Warn("library settings ignored", "err", err)
	} else if len(ls.RemoteImages) > 0 {
		remote = newRemoteImages(ls, nil)
	}
	viewer := viewerConfig(a.root, a.d.Now)
	if err == nil {
		viewer.WebBase = ls.WebBase // "Copy web link" in the viewer
	}
	viewer.Progress, viewer.Feedback = progress{a.coach}, feedback{a.coach}
	viewer.Remote, viewer.Identity, viewer.Stats = remote, a.in.Identity, a.in
	viewer.Training = training{a}
	return ui.ShellConfig{
		Version:          a.d.Version,
		LibraryDir:       a.root,
		HotkeyLabel:      hotkeyLabel,
		Notice:           notice,
		Searcher:         searcher{ix: a.ix, c: a.coach, root: a.root},
		Viewer:           viewer,
		Actions:          a.coach,
		OpenFolder:       func() error { return OpenPath(a.root) },
		Insights:         func() error { _, err := a.in.openReport(ctx); return err },
		Welcome:          a.d.Welcome,
		Track:            a.coach.Track,
		Profile:          a.profileValues,
		SaveProfile:      a.saveProfile,
		NoTray:           noTrayOnce(a.log.Debug),
		Corner:           cfg.Corner,
		KeepPanel:        cfg.KeepPanel,
		Corners:          config.Corners,
		Settings:         a.settingsValues,
		SaveSettings:     func(v ui.SettingsValues) error { return a.SaveSettings(ctx, v) },
		OnSearchDone:     a.searchDone,
		OnRecord:         func(title, folder string) error { return a.StartRecording(ctx, title, folder) },
		OnRecordVideo:    func(title, folder string) error { return a.StartVideoRecording(ctx, title, folder) },
		PlayVideo:        playVideo,
		OnGuideMe:        a.GuideMe,
		RecordFolders:    func() []string { return record.Folders(a.ix.Guides()) },
		CheckRecordTitle: func(title string) error { return library.CheckNewTitle(ctx, a.root, title, a.settings().Ignore) },
		Logger:           a.log,
	}
}

// searchDone records the last query of a search, for the owners' report of
// what people searched for and did not find.
func (a *App) searchDone(q string, hits int) {
	if err := a.coach.RecordSearch(q, hits); err != nil {
		a.log.Debug("record search", "err", err)
	}
}

// notify says msg as a desktop notification.
func (a *App) notify(msg string) {
	a.shell.App().SendNotification(fyne.NewNotification("Cuecard", msg))
}

// SaveSettings checks and saves new settings and applies them at once. A
// new search hotkey another program holds is refused before anything is
// saved.
func (a *App) SaveSettings(ctx context.Context, v ui.SettingsValues) error {
	if err := checkSettings(v); err != nil {
		return err
	}
	newKey, _ := keySetting(v.Hotkey, hotkey.Default) // checked
	if err := a.keys.change(ctx, newKey); err != nil {
		return err
	}
	if a.guides != nil {
		guidesKey, _ := keySetting(v.GuidesHotkey, DefaultGuidesKey) // checked
		if err := a.guides.change(ctx, guidesKey); err != nil {
			return fmt.Errorf("show this app's guides: %w", err)
		}
	}
	if err := a.saveSettings(v); err != nil {
		return err
	}
	a.shell.SetHotkeyLabel(newKey.String())
	cc := a.coach.Config()
	cc.Disabled = !v.Suggestions
	a.coach.SetConfig(cc)
	a.in.setSharing(v.ShareUsage, v.ShareSearches, v.Identity)
	a.shell.SetCorner(v.Corner)
	a.shell.SetKeepPanel(v.KeepPanel)
	a.applyProfile()
	a.shell.RefreshTrack()
	return nil
}

// settingsValues is what the settings window shows.
func (a *App) settingsValues() ui.SettingsValues {
	cfg := a.settings()
	v := ui.SettingsValues{Library: cfg.Library, LibraryInUse: a.root, Hotkey: cfg.Hotkey, GuidesHotkey: cfg.GuidesHotkey, Corner: cfg.Corner, Suggestions: !cfg.NoSuggestions, KeepPanel: cfg.KeepPanel, Exclude: cfg.Exclude,
		ShareUsage: cfg.ShareUsage, ShareSearches: cfg.ShareUsage && cfg.ShareSearches, Identity: cfg.Identity,
		RecordHotkey: cfg.RecordHotkey, RecordBlur: cfg.RecordBlur, RecordExclude: cfg.RecordExclude}
	if a.root != "" && filepath.Clean(a.root) == filepath.Clean(paths.SampleLibrary()) {
		v.SampleLibrary = true
	}
	if v.Hotkey == "" {
		v.Hotkey = hotkey.Default.String()
	}
	if v.GuidesHotkey == "" {
		v.GuidesHotkey = DefaultGuidesKey.String()
	}
	if v.Corner == "" {
		v.Corner = config.Corners[0]
	}
	if v.RecordHotkey == "" {
		v.RecordHotkey = defaultRecordHotkey.String()
	}
	v.StartAtLogin = autostart.Enabled()
	if a.coach != nil {
		muted, err := a.coach.Muted()
		if err != nil {
			a.log.Warn("settings: muted apps", "err", err)
		}
		v.Muted = muted
	}
	v.Profile, v.TrackShared = a.profileValues(), a.trackShared()
	if v.ShareUsage && a.in != nil {
		v.UsageShared = a.in.SharingStatus()
	}
	return v
}

// checkSettings says what is wrong with settings, naming the field.
func checkSettings(v ui.SettingsValues) error {
	search, err := keySetting(v.Hotkey, hotkey.Default)
	if err != nil {
		return err
	}
	guides, err := keySetting(v.GuidesHotkey, DefaultGuidesKey)
	if err != nil {
		return fmt.Errorf("show this app's guides: %w", err)
	}
	if !config.ValidCorner(v.Corner) {
		return fmt.Errorf("panel corner %q: choose one of %s", v.Corner, strings.Join(config.Corners, ", "))
	}
	rec, err := keySetting(v.RecordHotkey, defaultRecordHotkey)
	if err != nil {
		return fmt.Errorf("stop recording: %w", err)
	}
	if guides == search {
		return fmt.Errorf("show this app's guides: %s is already the search hotkey: press another combination", guides)
	}
	if rec == search || rec == guides {
		return fmt.Errorf("stop recording: %s is already the search or guides hotkey: press another combination", rec)
	}
	for _, e := range v.RecordExclude {
		if _, err := regexp.Compile(e); err != nil {
			return fmt.Errorf("never record %q: not a regular expression: %v", e, err)
		}
	}
	for _, e := range v.Exclude {
		if _, err := regexp.Compile(e); err != nil {
			return fmt.Errorf("never watch %q: not a regular expression: %v", e, err)
		}
	}
	if _, _, err := checkProfile(v.Profile); err != nil {
		return err
	}
	if v.Library != "" && !library.IsGitSource(v.Library) {
		if st, err := os.Stat(v.Library); err != nil || !st.IsDir() {
			return fmt.Errorf("library %s is not a folder", v.Library)
		}
	}
	return nil
}

// saveSettings writes the settings file and turns starting at login on or
// off.
func (a *App) saveSettings(v ui.SettingsValues) error {
	if err := checkSettings(v); err != nil {
		return err
	}
	a.cfgMu.Lock()
	defer a.cfgMu.Unlock()
	cfg := a.cfg
	path := cfg.Path
	if path == "" {
		path = config.File()
	}
	cfg.GuidesHotkey = v.GuidesHotkey
	cfg.Roles, cfg.StartDate, _ = checkProfile(v.Profile) // checked
	cfg.Library, cfg.Hotkey, cfg.Corner, cfg.NoSuggestions, cfg.KeepPanel, cfg.Exclude = v.Library, v.Hotkey, v.Corner, !v.Suggestions, v.KeepPanel, v.Exclude
	cfg.ShareUsage, cfg.ShareSearches, cfg.Identity = v.ShareUsage, v.ShareUsage && v.ShareSearches, strings.TrimSpace(v.Identity)
	cfg.RecordHotkey, cfg.RecordBlur, cfg.RecordExclude = v.RecordHotkey, v.RecordBlur, v.RecordExclude
	if err := config.Save(path, cfg); err != nil {
		return err
	}
	cfg.Path = path
	a.cfg = cfg
	return autostart.Set(v.StartAtLogin)
}

// noTrayOnce remembers, with a marker file in the data folder, that the
// "no tray icon" notice was shown, so that it is said once, not at every
// login; the marker goes when a tray host is seen again.
func noTrayOnce(debug func(msg string, args ...any)) func(missing bool) bool {
	marker := filepath.Join(paths.Data(), "no-tray-notice")
	return func(missing bool) bool {
		if !missing {
			if err := os.Remove(marker); err != nil && !errors.Is(err, os.ErrNotExist) {
				debug("no-tray marker", "err", err)
			}
			return false
		}
		if _, err := os.Stat(marker); err == nil {
			return false
		}
		err := os.MkdirAll(filepath.Dir(marker), 0o700)
		if err == nil {
			err = os.WriteFile(marker, []byte("the no-tray notice was shown\n"), 0o600)
		}
		if err != nil {
			debug("no-tray marker", "err", err)
		}
		return true
	}
}
