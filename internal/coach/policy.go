package coach

import (
	"fmt"
	"regexp/syntax"
	"strings"
	"time"
	"unicode"

	"github.com/cuecard/cuecard/internal/guide"
)

// Config is the suggestion policy. The zero value means the defaults (see
// DefaultConfig); a negative value turns a limit off where noted.
type Config struct {
	// Disabled turns automatic pops off; guides are still listed.
	Disabled bool
	// Dwell is how long an app must stay focused before it pops (so
	// alt-tab passes do not trigger it). Default 1 s; negative: at once.
	Dwell time.Duration
	// MaxPops is how many automatic pops PopWindow may hold. Default 3;
	// negative: no limit.
	MaxPops int
	// PopWindow is the sliding window of MaxPops. Default 1 hour.
	PopWindow time.Duration
	// MaxGuides caps the guides listed in an Update. Default 5; negative:
	// no cap.
	MaxGuides int
	// Morning is the time of day a snooze or pause "until tomorrow" ends,
	// local time. Default 8 h (08:00).
	Morning time.Duration
	// NewGuideFor is how long after being added a guide still pops as "new
	// guide for this app" the next time its app is focused. Default 14 days.
	NewGuideFor time.Duration
	// BulkAdd: a library change adding more guides than this (a new
	// library, an index rebuild, a big import) announces none of them.
	// Default 20; negative: no limit.
	BulkAdd int
	// MinMissRunes: searches shorter than this are not recorded as misses.
	// Default 3.
	MinMissRunes int
	// MinFocus: an app focused for less than this at a time (alt-tab
	// passes, a glance) adds no focus time. Default 10 s.
	MinFocus time.Duration
	// Browsers say which windows are web browsers, whose apps are keyed by
	// the web-app rule that matched (see AppKey). nil means
	// DefaultBrowsers().
	Browsers []guide.Rule
}

// DefaultConfig is the policy of the issue: pop after 1 s of focus, at most
// 3 automatic pops an hour, 5 guides listed.
func DefaultConfig() Config {
	return Config{
		Dwell:        time.Second,
		MaxPops:      3,
		PopWindow:    time.Hour,
		MaxGuides:    5,
		Morning:      8 * time.Hour,
		NewGuideFor:  14 * 24 * time.Hour,
		BulkAdd:      20,
		MinMissRunes: 3,
		MinFocus:     10 * time.Second,
		Browsers:     DefaultBrowsers(),
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Dwell == 0 {
		c.Dwell = d.Dwell
	}
	if c.Dwell < 0 {
		c.Dwell = 0
	}
	if c.MaxPops == 0 {
		c.MaxPops = d.MaxPops
	}
	if c.PopWindow <= 0 {
		c.PopWindow = d.PopWindow
	}
	if c.MaxGuides == 0 {
		c.MaxGuides = d.MaxGuides
	}
	if c.Morning <= 0 || c.Morning >= 24*time.Hour {
		c.Morning = d.Morning
	}
	if c.NewGuideFor <= 0 {
		c.NewGuideFor = d.NewGuideFor
	}
	if c.BulkAdd == 0 {
		c.BulkAdd = d.BulkAdd
	}
	if c.MinMissRunes <= 0 {
		c.MinMissRunes = d.MinMissRunes
	}
	if c.MinFocus <= 0 {
		c.MinFocus = d.MinFocus
	}
	if c.Browsers == nil {
		c.Browsers = d.Browsers
	}
	return c
}

// DefaultBrowsers matches the common web browsers by executable or WM_CLASS.
func DefaultBrowsers() []guide.Rule {
	const names = `firefox|firefox-esr|firefox-bin|librewolf|waterfox|floorp|zen|zen-bin|` +
		`chrome|google-chrome|google-chrome-stable|chromium|chromium-browser|brave|brave-browser|` +
		`msedge|microsoft-edge|microsoft-edge-stable|opera|vivaldi|vivaldi-bin|vivaldi-stable|` +
		`epiphany|falkon|qutebrowser|safari|arc`
	return []guide.Rule{
		guide.MustRule(`^(`+names+`)(\.exe)?$`, "", ""),
		guide.MustRule("", `^(`+names+`|navigator)$`, ""),
	}
}

// Reason says why an Update pops the panel or not.
type Reason string

// Reasons. FirstUse and NewGuide come with Pop; Waiting means a pop is due
// once the app has stayed focused for Config.Dwell; the Suppressed ones mean
// a pop was due but is held back.
const (
	ReasonNoWindow     Reason = "no-window"     // nothing (or an excluded window) is focused
	ReasonUnavailable  Reason = "unavailable"   // focus tracking is unavailable
	ReasonNoGuides     Reason = "no-guides"     // no guide matches the window
	ReasonUnknownApp   Reason = "unknown-app"   // guides match, but the window names no app to key
	ReasonNotSuggested Reason = "not-suggested" // every matching guide says suggest: false
	ReasonSeen         Reason = "already-suggested"
	ReasonWaiting      Reason = "waiting"
	ReasonFirstUse     Reason = "first-use"
	ReasonNewGuide     Reason = "new-guide"

	ReasonDisabled   Reason = "disabled"
	ReasonPaused     Reason = "paused"
	ReasonMuted      Reason = "muted"
	ReasonSnoozed    Reason = "snoozed"
	ReasonFullscreen Reason = "fullscreen"
	ReasonDismissed  Reason = "dismissed"
	ReasonRateLimit  Reason = "rate-limit"
	ReasonStateError Reason = "state-error" // the store failed: no pop, to stay calm
)

// Suppressed reports whether a pop was due but held back.
func (r Reason) Suppressed() bool {
	switch r {
	case ReasonDisabled, ReasonPaused, ReasonMuted, ReasonSnoozed, ReasonFullscreen,
		ReasonDismissed, ReasonRateLimit, ReasonStateError:
		return true
	}
	return false
}

// App identifies an application for the policy: seen, snoozed and muted
// are per App.Key. Name is for people ("first time you use Name").
type App struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// AppKey derives the app of a focused window from the guides that match it
// (in the ranked order of guide.Matcher.Match):
//
//   - a web browser (a window matching one of browsers) with a matching rule
//     that has a title expression is the web app "web:<expr>", where expr is
//     the shortest such expression, lower-cased (ties: alphabetical). The
//     shortest is the most general and so the most stable: the tab
//     "Deals | Acme CRM" matching both `Acme CRM` and `Deals \| Acme CRM` is
//     the app "web:acme crm", as is every other Acme CRM tab. Its name is
//     the longest literal text of the expression ("Acme CRM"); nothing of
//     the window's title is kept.
//   - otherwise, a window with an executable is "exe:<name>": the base name,
//     lower-cased, without ".exe" (so "/usr/bin/GIMP" and "gimp.exe" are
//     both "exe:gimp"). Its name is the window's WM_CLASS, else the
//     executable.
//   - otherwise, a window with a WM_CLASS is "class:<class>", lower-cased.
//   - otherwise (no match, or nothing to key) the zero App: nothing pops.
func AppKey(w guide.Window, matches []guide.Match, browsers []guide.Rule) App {
	if len(matches) == 0 {
		return App{}
	}
	if isBrowser(w, browsers) {
		// Pages of one web app share it: a rule naming the site after a
		// separator ("Deals \| Acme CRM", "Quotes? \| Acme CRM") is the
		// site's app, so its first open pops once, not once per page.
		site := ""
		for _, m := range matches {
			if s := siteName(strings.TrimSpace(m.Rule.Title)); s != "" {
				if l := strings.ToLower(s); site == "" || len(l) < len(site) || (len(l) == len(site) && l < strings.ToLower(site)) {
					site = s
				}
			}
		}
		if site != "" {
			return App{Key: "web:" + strings.ToLower(site), Name: site}
		}
		best, orig := "", ""
		for _, m := range matches {
			t := strings.ToLower(strings.TrimSpace(m.Rule.Title))
			if t == "" {
				continue
			}
			if best == "" || len(t) < len(best) || (len(t) == len(best) && t < best) {
				best, orig = t, strings.TrimSpace(m.Rule.Title)
			}
		}
		if best != "" {
			return App{Key: "web:" + best, Name: literalName(orig)}
		}
	}
	if exe := exeName(w.Exe); exe != "" {
		name := w.Class
		if name == "" {
			name = exe
		}
		return App{Key: "exe:" + strings.ToLower(exe), Name: titleName(w.Title, name, w.Class, exe)}
	}
	if w.Class != "" {
		return App{Key: "class:" + strings.ToLower(w.Class), Name: titleName(w.Title, w.Class, w.Class)}
	}
	return App{}
}

// titleName is the app's own name as its windows spell it, from the last
// part of the title ("Q4.ods - LibreOffice Calc" -> "LibreOffice Calc",
// "Inbox - Mozilla Thunderbird" -> "Mozilla Thunderbird"), when that part
// is the class or executable name give or take a vendor word; else
// fallback. Only a part that names the app is taken: never a document's
// name.
func titleName(title, fallback string, names ...string) string {
	part := ""
	for _, sep := range []string{" - ", " — ", " – "} {
		if i := strings.LastIndex(title, sep); i >= 0 && (part == "" || len(title)-i-len(sep) < len(part)) {
			part = strings.TrimSpace(title[i+len(sep):])
		}
	}
	p := alnum(part)
	for _, n := range names {
		if n := alnum(n); n != "" && strings.Contains(p, n) && len(p)-len(n) <= 10 {
			return part
		}
	}
	return fallback
}

// alnum is s lower-cased with only its letters and digits.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isBrowser(w guide.Window, browsers []guide.Rule) bool {
	for _, r := range browsers {
		if r.Match(w) {
			return true
		}
	}
	return false
}

// exeName is the base name of an executable path without ".exe".
func exeName(exe string) string {
	if i := strings.LastIndexAny(exe, `/\`); i >= 0 {
		exe = exe[i+1:]
	}
	if len(exe) > 4 && strings.EqualFold(exe[len(exe)-4:], ".exe") {
		exe = exe[:len(exe)-4]
	}
	return strings.TrimSpace(exe)
}

// literalName is the longest literal text of a regular expression, trimmed
// of separators: `\| Acme CRM$` gives "Acme CRM". It falls back to the
// expression itself.
func literalName(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return expr
	}
	best := ""
	var visit func(*syntax.Regexp)
	visit = func(re *syntax.Regexp) {
		if re.Op == syntax.OpLiteral {
			if s := strings.Trim(string(re.Rune), " \t|-–—:·•,;/()[]"); len(s) > len(best) {
				best = s
			}
		}
		for _, sub := range re.Sub {
			visit(sub)
		}
	}
	visit(re)
	if best == "" {
		return expr
	}
	return best
}

// siteSeparators split a page's title from its site's name in browser
// tab titles ("Deals | Acme CRM", "Inbox - Example Mail").
var siteSeparators = []string{"|", " - ", " — ", " – ", " · "}

// siteName is the site a title expression names after its last separator,
// e.g. "Acme CRM" for `(Deals|Quotes) \| Acme CRM`: the literal text at the
// end of the expression, after a separator; "" when the expression does
// not end that way.
func siteName(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	tail := re
	if re.Op == syntax.OpConcat && len(re.Sub) > 0 {
		tail = re.Sub[len(re.Sub)-1]
		if tail.Op == syntax.OpEndText || tail.Op == syntax.OpEndLine {
			if len(re.Sub) < 2 {
				return ""
			}
			tail = re.Sub[len(re.Sub)-2]
		}
	}
	if tail.Op != syntax.OpLiteral {
		return ""
	}
	lit := string(tail.Rune)
	cut := -1
	for _, sep := range siteSeparators {
		if i := strings.LastIndex(lit, sep); i >= 0 && i+len(sep) > cut {
			cut = i + len(sep)
		}
	}
	if cut < 0 {
		return ""
	}
	site := strings.TrimSpace(lit[cut:])
	if !strings.ContainsFunc(site, unicode.IsLetter) {
		return ""
	}
	return site
}

// keyName is a readable name for an app key whose name is unknown.
func keyName(key string) string {
	if _, rest, ok := strings.Cut(key, ":"); ok {
		return rest
	}
	return key
}

// Span is how long a snooze or pause lasts: until Tomorrow morning
// (Config.Morning, local time), Until a time, or For a duration, checked in
// that order.
type Span struct {
	For      time.Duration
	Until    time.Time
	Tomorrow bool
}

// The two spans the tray and the panel offer.
var (
	ForAnHour     = Span{For: time.Hour}
	UntilTomorrow = Span{Tomorrow: true}
)

// earlyHours: before this hour "until tomorrow" means this morning (a user
// snoozing at 1 am means "until the morning", not in 31 hours).
const earlyHours = 4

// nextMorning is when "until tomorrow" ends: tomorrow at morning (time of
// day, in now's location), or today at morning when now is before
// earlyHours. Built with time.Date, so a DST change in between is honoured.
func nextMorning(now time.Time, morning time.Duration) time.Time {
	y, m, d := now.Date()
	h, mi := int(morning/time.Hour), int(morning%time.Hour/time.Minute)
	if today := time.Date(y, m, d, h, mi, 0, 0, now.Location()); now.Hour() < earlyHours && now.Before(today) {
		return today
	}
	return time.Date(y, m, d+1, h, mi, 0, 0, now.Location())
}

func (s Span) until(now time.Time, morning time.Duration) (time.Time, error) {
	switch {
	case s.Tomorrow:
		return nextMorning(now, morning), nil
	case !s.Until.IsZero():
		if !s.Until.After(now) {
			return time.Time{}, fmt.Errorf("%s is already past", s.Until.Format(time.DateTime))
		}
		return s.Until, nil
	case s.For > 0:
		return now.Add(s.For), nil
	}
	return time.Time{}, fmt.Errorf("say how long: a duration, a time, or until tomorrow")
}

// clockTime formats a time for a Why: "15:04" today, "Mon 15:04" within a
// week, else "2 Jan 15:04".
func clockTime(t, now time.Time) string {
	t = t.In(now.Location())
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		return t.Format("15:04")
	case t.Sub(now) < 6*24*time.Hour:
		return t.Format("Mon 15:04")
	}
	return t.Format("2 Jan 15:04")
}

// span formats a policy duration: "hour", "30 minutes", "2 hours".
func span(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}
