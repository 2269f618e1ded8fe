package ui

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestProblemsList(t *testing.T) {
	newApp(t)
	p := NewProblems()
	var copied []string
	p.OnCopy = func(s string) { copied = append(copied, s) }
	w := show(t, p, ProblemsSize)
	wantText(t, w.Content(), "No problems: every guide in the library can be read.")
	if len(allButtons(w.Content())) != 0 {
		t.Error("Copy shown with no problems")
	}

	p.Set([]guide.Problem{
		{Path: "b.md", Line: 9, Level: guide.LevelWarning, Message: "no owner"},
		{Path: "a.md", Line: 3, Level: guide.LevelError, Message: "front matter is never closed"},
		{Path: "b.md", Line: 2, Level: guide.LevelError, Message: "invalid date"},
	})
	settle(w)
	wantText(t, w.Content(), "2 errors and 1 warning.",
		"a.md:3: error: front matter is never closed b.md:2: error: invalid date b.md:9: warning: no owner")
	test.Tap(button(t, w.Content(), "Copy"))
	if len(copied) != 1 || copied[0] != "a.md:3: error: front matter is never closed\nb.md:2: error: invalid date\nb.md:9: warning: no owner\n" {
		t.Errorf("copied %q", copied)
	}

	// Live update: the list is replaced.
	p.Set([]guide.Problem{{Path: "c.md", Line: 1, Level: guide.LevelWarning, Message: "no review date"}})
	settle(w)
	wantText(t, w.Content(), "1 warning. Every guide can be read.", "c.md:1: warning: no review date")
	wantNoText(t, w.Content(), "a.md")

	var many []guide.Problem
	for i := range MaxProblemsShown + 7 {
		many = append(many, guide.Problem{Path: fmt.Sprintf("f%04d.md", i), Line: 1, Level: guide.LevelError, Message: "bad"})
	}
	p.Set(many)
	wantText(t, p, fmt.Sprintf("%d errors and 0 warnings", MaxProblemsShown+7), "… and 7 more: run cuecard lint to see them all.")
	if n := strings.Count(p.Text(), "\n"); n != MaxProblemsShown+7 {
		t.Errorf("Text has %d lines", n)
	}
}

func TestAbout(t *testing.T) {
	newApp(t)
	var calls []string
	a := NewAbout(AboutInfo{
		Welcome: true, SampleInstalled: true, Hotkey: "Ctrl+Alt+Space", LibraryDir: "/home/ana/guides",
		OnOpenFolder: func() { calls = append(calls, "folder") },
		OnSearch:     func() { calls = append(calls, "search") },
		OnClose:      func() { calls = append(calls, "close") },
	})
	w := show(t, a, AboutSize)
	wantText(t, w.Content(), "Welcome to Cuecard", "Press Ctrl+Alt+Space", "Your guides live in /home/ana/guides.",
		"sample library", "Add a guide with cuecard new")
	for _, b := range []string{"Open library folder", "Search guides", "Close"} {
		test.Tap(button(t, w.Content(), b))
	}
	if fmt.Sprint(calls) != "[folder search close]" {
		t.Errorf("calls %v", calls)
	}

	about := NewAbout(AboutInfo{Version: "1.2.0"})
	w = show(t, about, AboutSize)
	wantText(t, w.Content(), "Cuecard", "Version 1.2.0.")
	wantNoText(t, w.Content(), "Welcome", "sample library")
	if len(allButtons(w.Content())) != 0 {
		t.Error("buttons without callbacks")
	}
	if AppIcon() == nil || len(AppIcon().Content()) == 0 {
		t.Error("no app icon")
	}
	// fyne converts the tray icon to ICO on Windows with image.Decode,
	// which knows PNG, not SVG.
	if _, format, err := image.DecodeConfig(bytes.NewReader(AppIcon().Content())); err != nil || format != "png" {
		t.Errorf("app icon: format %q, %v; the Windows tray needs a PNG", format, err)
	}
}

// TestProblemsRowsOnlyWhenShown: a hidden problems window holds no rows
// (a big broken library would keep thousands in memory); showing it builds
// them from the latest list.
func TestProblemsRowsOnlyWhenShown(t *testing.T) {
	newApp(t)
	p := NewProblems()
	p.SetShown(false)
	ps := []guide.Problem{
		{Path: "b.md", Line: 3, Level: guide.LevelError, Message: "invalid YAML"},
		{Path: "a.md", Line: 1, Level: guide.LevelWarning, Message: "review overdue"},
	}
	p.Set(ps)
	if n := len(p.list.Objects); n != 0 {
		t.Errorf("hidden: %d rows built", n)
	}
	if !strings.Contains(p.summary.Text, "1 error and 1 warning") {
		t.Errorf("summary %q", p.summary.Text)
	}
	p.SetShown(true)
	w := show(t, p, ProblemsSize)
	if n := len(p.list.Objects); n != 2 {
		t.Fatalf("shown: %d rows, want 2", n)
	}
	wantText(t, w.Content(), "a.md:1:", "b.md:3:", "invalid YAML")
	p.SetShown(false)
	if n := len(p.list.Objects); n != 0 {
		t.Errorf("hidden again: %d rows kept", n)
	}
}
