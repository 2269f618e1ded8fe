package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/capture"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/link"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/record"
)

// cmdTarget adds a click target to a numbered step of a guide: the user
// clicks where the step is in the app, and the click's patch and position
// go beside the guide and into the step (see record.SetTarget).
func (m *Main) cmdTarget(ctx context.Context, args []string) error {
	fs := m.flags("target")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait for the click")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("target takes a guide and a step number, e.g. cuecard target crm/save-a-deal.md 3")
	}
	n, err := strconv.Atoi(pos[1])
	if err != nil || n < 1 {
		return usagef("target: the step %q is not a step number: give the number of a numbered step, from 1", pos[1])
	}
	if *timeout <= 0 {
		return usagef("target: --timeout must be positive, e.g. 60s")
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	if m.git != nil {
		return fmt.Errorf("target: the library is a copy of a git repository, which cuecard replaces on every pull: add the target in a clone of the repository (cuecard --library CLONE target ...)")
	}
	id, err := m.resolveGuide(ctx, root, pos[0])
	if err != nil {
		return err
	}
	file := filepath.Join(root, filepath.FromSlash(id))
	src, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	steps, err := record.NumberedSteps(file, src)
	if err != nil {
		return err
	}
	// What SetTarget would say (no such step, no text to put it after),
	// before anything is captured.
	if _, _, _, err := record.SetTarget(file, src, n, guide.ClickTarget{}); err != nil {
		return err
	}
	step := steps[n-1]

	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && os.Getenv("DISPLAY") == "" {
		return errors.New("no display: cuecard target takes the click in an X11 graphical session (DISPLAY is not set); run it on the desktop where the app is")
	}
	cfg, err := m.settings()
	if err != nil {
		return err
	}
	hide := targetExclude(cfg.Exclude, cfg.RecordExclude)
	// Not Cuecard's windows, nor the terminal this runs in.
	own := append([]int{os.Getpid()}, ancestors()...)
	if pid := runningAppPID(ctx, root); pid > 0 {
		own = append(own, pid) // a click in Cuecard's viewer is not the app
	}
	cancel := make(chan struct{}, 1)
	c, err := capture.Start(capture.Options{OwnPIDs: own, Logger: m.log,
		Hide: func(w guide.Window) bool {
			for _, r := range hide {
				if r.Match(w) {
					return true
				}
			}
			return false
		},
		OnEscape: func() {
			select {
			case cancel <- struct{}{}:
			default:
			}
		}})
	switch {
	case errors.Is(err, capture.ErrNoDisplay):
		return fmt.Errorf("no X display: cuecard target takes the click in an X11 session (on Wayland, run the app under Xwayland or log in to an X11 session): %w", err)
	case errors.Is(err, capture.ErrNoRecord):
		return fmt.Errorf("cuecard target cannot see clicks: %w (enable the RECORD extension of the X server)", err)
	case errors.Is(err, capture.ErrUnsupported):
		return fmt.Errorf("cuecard target cannot take a click here: %w", err)
	case err != nil:
		return fmt.Errorf("target: %w", err)
	}
	defer c.Close()

	fmt.Fprintf(m.Stderr, "Click where step %d is (%s) in the app; Esc cancels.\n", n, shortText(step.Text, 60))
	timer := time.NewTimer(*timeout)
	defer timer.Stop()
	var e capture.Event
wait:
	for {
		select {
		case ev, ok := <-c.Events():
			if !ok {
				if err := c.Err(); err != nil {
					return fmt.Errorf("target: the capture stopped: %w", err)
				}
				return errors.New("target: the capture stopped before a click")
			}
			if ev.Kind != capture.Click {
				continue
			}
			switch {
			case ev.Hidden:
				fmt.Fprintln(m.Stderr, "That window is on the exclude list and is never captured: click in the app's window.")
			case ev.Image == nil || !ev.HasPoint:
				fmt.Fprintln(m.Stderr, "That window could not be captured: click again.")
			default:
				e = ev
				break wait
			}
		case <-cancel:
			return errors.New("target: cancelled (Esc): the guide is unchanged")
		case <-timer.C:
			return fmt.Errorf("target: no click within %s: the guide is unchanged (give more time with --timeout)", *timeout)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	c.Close()

	w, err := writeTarget(file, n, e.Window, e.Image, e.Point)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Step %d of %s: the click at %d,%d in the %dx%d window of %s is its target (%s, line %d).\n",
		n, id, e.Point.X, e.Point.Y, e.Image.Bounds().Dx(), e.Image.Bounds().Dy(), appOr(w.App), w.Patch, w.Line)
	if w.Note != "" {
		fmt.Fprintln(m.Stderr, w.Note)
	}
	return nil
}

// writtenTarget is what writeTarget did.
type writtenTarget struct {
	guide.ClickTarget
	// Note says something the user should know (a patch name other than
	// the usual one, an old patch no longer used); may be empty.
	Note string
}

// writeTarget writes step n's patch beside the guide file and puts its
// comment into the step. It never overwrites another file: the patch goes
// to the name the step's old target used, else step-NN-target.png, else a
// name of the guide's own when that is taken.
func writeTarget(file string, n int, win guide.Window, img image.Image, pt image.Point) (writtenTarget, error) {
	var w writtenTarget
	patch, in := record.Patch(img, pt)
	if patch == nil {
		return w, fmt.Errorf("target: the click %v is outside the window's %v image", pt, img.Bounds().Size())
	}
	data, err := record.EncodePatch(patch)
	if err != nil {
		return w, fmt.Errorf("target: %w", err)
	}
	src, err := os.ReadFile(file) // again: it may have been saved meanwhile
	if err != nil {
		return w, fmt.Errorf("target: %w", err)
	}
	st, err := os.Stat(file)
	if err != nil {
		return w, fmt.Errorf("target: %w", err)
	}
	steps, err := record.NumberedSteps(file, src)
	if err != nil {
		return w, err
	}
	if n > len(steps) {
		_, _, _, err := record.SetTarget(file, src, n, guide.ClickTarget{})
		return w, err
	}
	dir := filepath.Dir(file)
	old := steps[n-1].Target
	name := ""
	if old.Line > 0 && ownPatchName(old.Patch) {
		name = old.Patch // the step's own previous patch: replaced
	} else {
		base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		cands := []string{record.TargetName(n), base + "-" + record.TargetName(n)}
		for k := 2; k < 100; k++ {
			cands = append(cands, fmt.Sprintf("%s-step-%02d-target-%d.png", base, n, k))
		}
		for _, c := range cands {
			if _, err := os.Lstat(filepath.Join(dir, c)); errors.Is(err, fs.ErrNotExist) {
				name = c
				break
			}
		}
		if name == "" {
			return w, fmt.Errorf("target: every name for step %d's patch is taken in %s: tidy the folder", n, dir)
		}
		if name != record.TargetName(n) {
			w.Note = fmt.Sprintf("%s is another file: the patch is %s.", record.TargetName(n), name)
		}
		if old.Line > 0 && old.Patch != "" {
			w.Note = strings.TrimSpace(w.Note + fmt.Sprintf(" The step's old target named %s, which is no longer used; delete it if nothing else needs it.", old.Patch))
		}
	}
	w.ClickTarget = record.Target(win, img, pt, in, name)
	out, line, _, err := record.SetTarget(file, src, n, w.ClickTarget)
	if err != nil {
		return w, err
	}
	w.Line = line
	patchFile := filepath.Join(dir, name)
	_, statErr := os.Lstat(patchFile)
	if err := atomicfile.Write(patchFile, data, 0o644); err != nil {
		return w, fmt.Errorf("target: %w", err)
	}
	if err := atomicfile.Write(file, out, st.Mode().Perm()); err != nil {
		if errors.Is(statErr, fs.ErrNotExist) {
			os.Remove(patchFile)
		}
		return w, fmt.Errorf("target: %w", err)
	}
	return w, nil
}

// ownPatchName reports whether an old target's patch is a file of the
// guide's own folder that this command may replace: a plain PNG name.
func ownPatchName(p string) bool {
	return p != "" && !strings.ContainsAny(p, `/\:`) && strings.HasSuffix(strings.ToLower(p), ".png") && !strings.HasPrefix(p, ".")
}

// resolveGuide finds the guide the user named: its id or file (as `cuecard
// open` takes them), else its title (any case, when exactly one guide has
// it).
func (m *Main) resolveGuide(ctx context.Context, root, arg string) (string, error) {
	if link.IsLink(arg) {
		return "", usagef("target: give the guide's path or title, not a link")
	}
	l, err := resolveOpen(root, arg)
	if err == nil {
		if l.Kind != link.Guide {
			return "", usagef("target: %s is not a guide", arg)
		}
		return l.ID, nil
	}
	var missing *noGuideError
	if !errors.As(err, &missing) || looksLikePath(arg) {
		return "", err
	}
	res, serr := library.Scan(ctx, root, library.Options{Ignore: m.ignore()})
	if serr != nil {
		return "", err
	}
	var ids []string
	want := strings.Join(strings.Fields(arg), " ")
	for _, g := range res.Guides {
		if strings.EqualFold(strings.Join(strings.Fields(g.Title), " "), want) {
			ids = append(ids, g.ID)
		}
	}
	switch len(ids) {
	case 0:
		return "", err
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("%d guides are titled %q: name one by its path (%s)", len(ids), arg, strings.Join(ids, ", "))
}

// targetExclude is the recorder's exclude list: the windows never
// captured (password managers and the like, and the settings' exclude and
// record_exclude expressions).
func targetExclude(exclude, rec []string) []guide.Rule {
	rules := focus.DefaultExclude()
	add := func(exe, class, title string) {
		if r, err := guide.CompileRule(exe, class, title); err == nil {
			rules = append(rules, r)
		}
	}
	for _, e := range exclude {
		add(e, "", "")
		add("", e, "")
	}
	for _, e := range rec {
		add(e, "", "")
		add("", e, "")
		add("", "", e)
	}
	return rules
}

// runningAppPID is the process of the desktop app on this library, or 0.
func runningAppPID(ctx context.Context, root string) int {
	c := owner.Dial(root)
	if c == nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	r, err := c.Ask(ctx, owner.Request{Cmd: "status"})
	if err == nil && r.Status != nil && r.Status.PID > 0 {
		return r.Status.PID
	}
	if r, err := c.Ask(ctx, owner.Request{Cmd: "debug"}); err == nil && r.Debug != nil {
		return r.Debug.PID
	}
	return 0
}

// ancestors are this process's parent, its parent and so on (the shell,
// the terminal), up to 16 of them, excluding the system's first process.
func ancestors() []int {
	var out []int
	pid := os.Getppid()
	for range 16 {
		if pid <= 1 {
			break
		}
		out = append(out, pid)
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			break // not Linux: the parent only
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b[i+1:]))
		if i < 0 || len(f) < 2 {
			break
		}
		if pid, err = strconv.Atoi(f[1]); err != nil {
			break
		}
	}
	return out
}

// shortText is s cut to at most n characters, with an ellipsis.
func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func appOr(app string) string {
	if app == "" {
		return "the app"
	}
	return app
}
