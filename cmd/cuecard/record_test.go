//go:build linux

package main

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// TestRecordCommand runs `cuecard record` as a user would under Xvfb and
// openbox: the control window appears without taking focus, a click in an
// app window is a step, a click on the control window is not, Ctrl+Alt+R
// stops; the guide is written, passes lint --strict, opens in the viewer
// and in the desktop's editor (a stand-in xdg-open here).
func TestRecordCommand(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool")
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("crm", 420, 300)
	cl.Button("crm", 20, 20, 100, 40, 0x73d216)
	cl.Activate("crm")
	x.WaitActive(crm)

	lib := t.TempDir()
	bin := t.TempDir()
	opened := filepath.Join(t.TempDir(), "opened")
	os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\nprintf '%s\\n' \"$1\" >> "+opened+"\n"), 0o755)
	e := append(env(t), x.Env()...)
	e = append(e, "PATH="+bin+":"+os.Getenv("PATH"), "CUECARD_RUNTIME="+t.TempDir(),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus", "CUECARD_TODAY=2026-03-14")
	cmd := exec.Command(binary, "--library", lib, "record", "--owner", "ann@example.com", "How to create a deal")
	cmd.Env = e
	// Files, not pipes: Wait would also wait for whatever inherited a pipe.
	out, errOut := logFile(t, "stdout"), logFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = out.f, errOut.f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})

	ctl := waitWindow(t, x, "^Recording - Cuecard$")
	if ctl != "" {
		// The recorder's own process names its windows like the app's.
		if got := strings.TrimSpace(x.Tool("xprop", "-id", strings.Fields(ctl)[0], "WM_CLASS")); got != `WM_CLASS(STRING) = "cuecard", "Cuecard"` {
			t.Errorf("the recording control's %s", got)
		}
	}
	if ctl == "" {
		t.Fatalf("no control window\n%s", errOut.String())
	}
	waitFor(t, "the recording to start", func() bool { return strings.Contains(errOut.String(), "Recording \"How to create a deal\"") })
	if got := x.ActiveWindow(); got != crm {
		t.Fatalf("the control window took focus: active 0x%x, want 0x%x", got, crm)
	}
	xdo := func(args ...string) {
		t.Helper()
		c := exec.Command("xdotool", args...)
		c.Env = x.Env()
		if o, err := c.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, o)
		}
	}
	xdo("mousemove", "--sync", "--window", ctl, "8", "8") // the control window's corner: no button
	xdo("click", "1")
	xdo("mousemove", "--sync", "--window", itoa(crm), "60", "35")
	xdo("click", "1")
	if shot := os.Getenv("CUECARD_RECORD_SHOT"); shot != "" { // for the docs
		time.Sleep(time.Second) // let the control window paint its step count
		if err := x.Screenshot(strings.TrimSuffix(shot, ".png") + "-control.png"); err != nil {
			t.Log(err)
		}
	}
	xdo("key", "ctrl+alt+r")

	viewer := waitWindow(t, x, "^How to create a deal - Cuecard$")
	if viewer == "" {
		t.Fatalf("no viewer window\nstdout: %s\nstderr: %s", out.String(), errOut.String())
	}
	if shot := os.Getenv("CUECARD_RECORD_SHOT"); shot != "" { // for the docs
		time.Sleep(time.Second) // let the viewer paint
		if err := x.Screenshot(shot); err != nil {
			t.Log(err)
		}
	}
	index := filepath.Join(lib, "how-to-create-a-deal", "index.md")
	if !strings.Contains(out.String(), "Created "+index) {
		t.Errorf("stdout %q does not name %s", out.String(), index)
	}
	md, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "1. Click in **AcmeCRM**.\n\n   ![Step 1](step-01.png)\n") || strings.Contains(string(md), "2. ") {
		t.Errorf("index.md has not exactly the one step:\n%s", md)
	}
	if !strings.Contains(string(md), "exe: '^cuecard-testwin$'") || !strings.Contains(string(md), "owner: 'ann@example.com'") ||
		!strings.Contains(string(md), "reviewed: 2026-03-14") {
		t.Errorf("front matter:\n%s", md)
	}
	waitFor(t, "the editor", func() bool {
		b, _ := os.ReadFile(opened)
		return strings.TrimSpace(string(b)) == index
	})
	lint := exec.Command(binary, "lint", "--strict", lib)
	lint.Env = e
	if o, err := lint.CombinedOutput(); err != nil {
		t.Fatalf("lint --strict: %v\n%s", err, o)
	}
	// Closing the viewer (Alt+F4 in openbox) ends the command.
	xdo("windowactivate", "--sync", viewer)
	xdo("key", "alt+F4")
	select {
	case <-done:
		if waitErr != nil {
			t.Fatalf("record exited with %v\n%s", waitErr, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("record did not exit after its viewer was closed")
	}
}

func TestRecordCommandErrors(t *testing.T) {
	lib := t.TempDir()
	os.WriteFile(filepath.Join(lib, "deal.md"), []byte("---\ntitle: How to create a deal\n---\nx\n"), 0o644)
	run := func(extra []string, args ...string) (int, string) {
		cmd := exec.Command(binary, append([]string{"--library", lib}, args...)...)
		var e []string
		for _, kv := range env(t) {
			if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
				e = append(e, kv)
			}
		}
		cmd.Env = append(e, extra...)
		o, _ := cmd.CombinedOutput()
		return cmd.ProcessState.ExitCode(), string(o)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"record"}, 2, "give the guide's title"},
		{[]string{"record", "Deals"}, 2, "not phrased as a task"},
		{[]string{"record", "how to  create a DEAL"}, 2, "deal.md already has the title"},
		{[]string{"record", "How to close a deal"}, 1, "no display: recording a guide needs an X11 graphical session"},
		{[]string{"record", "--folder", "../elsewhere", "How to close a deal"}, 2, "is not inside the library"},
		{[]string{"record", "--folder", "crm", "How to close a deal"}, 2, "is not a folder of the library"},
		{[]string{"record", "--window", "How to close a deal"}, 2, "are for a screen recording: add --video"},
		{[]string{"record", "--video", "--region", "10x10+0+0", "How to close a deal"}, 2, "is too small"},
		{[]string{"record", "--video", "--region", "wide", "How to close a deal"}, 2, "is not WxH+X+Y"},
		{[]string{"record", "--video", "--window", "--region", "100x100+0+0", "How to close a deal"}, 2, "give --window or --region, not both"},
	} {
		code, o := run(nil, c.args...)
		if code != c.code || !strings.Contains(o, c.want) {
			t.Errorf("%v: exit %d, output %q; want %d and %q", c.args, code, o, c.code, c.want)
		}
	}
	// An X server without RECORD: a clear error, no crash.
	x := focustest.StartX(t, "-extension", "RECORD")
	code, o := run([]string{"DISPLAY=" + x.Display}, "record", "How to close a deal")
	if code != 1 || !strings.Contains(o, "no RECORD extension") {
		t.Errorf("without RECORD: exit %d, output %q", code, o)
	}
	if entries, _ := os.ReadDir(lib); len(entries) != 1 {
		t.Errorf("the library changed: %v", entries)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 15 s for %s", what)
		}
	}
}

func itoa(id uint32) string { return strconv.FormatUint(uint64(id), 10) }

// logFile is a file a process writes to; String reads what it wrote.
type logFileT struct{ f *os.File }

func logFile(t *testing.T, name string) logFileT {
	f, err := os.Create(filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return logFileT{f}
}

func (l logFileT) String() string {
	b, _ := os.ReadFile(l.f.Name())
	return string(b)
}

// TestRecordControlNeverInStep: the real control window steps aside from
// the window the user works in when that moves under it, and where it
// cannot (the window covers the screen) it is still not in the step's
// screenshot: the pixels where it floats are the window's. The guide goes
// into the folder of the app's other guides.
func TestRecordControlNeverInStep(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "xwininfo")
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM") // background 0x3465a4
	cl.Size("crm", 420, 300)
	cl.Activate("crm")
	x.WaitActive(crm)

	// The app's other guides are in crm/: the new one goes there.
	lib := t.TempDir()
	os.MkdirAll(filepath.Join(lib, "crm"), 0o755)
	os.MkdirAll(filepath.Join(lib, "other"), 0o755)
	os.WriteFile(filepath.Join(lib, "crm", "deals.md"), []byte("---\ntitle: How to create a deal\napps:\n  - exe: '^cuecard-testwin$'\n---\nx\n"), 0o644)
	os.WriteFile(filepath.Join(lib, "other", "mail.md"), []byte("---\ntitle: How to send mail\napps:\n  - exe: '^thunderbird$'\n---\nx\n"), 0o644)
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus")
	cmd := exec.Command(binary, "--library", lib, "record", "--no-open", "--owner", "ann@example.com", "How to fill a form")
	cmd.Env = e
	out, errOut := logFile(t, "stdout"), logFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = out.f, errOut.f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	ctl := waitWindow(t, x, "^Recording - Cuecard$")
	if ctl == "" {
		t.Fatalf("no control window\n%s", errOut.String())
	}
	waitFor(t, "the recording to start", func() bool { return strings.Contains(errOut.String(), "Recording \"How to fill a form\"") })
	xdo := func(args ...string) {
		t.Helper()
		c := exec.Command("xdotool", args...)
		c.Env = x.Env()
		if o, err := c.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, o)
		}
	}
	var ctlAt image.Rectangle
	waitFor(t, "the control in the top-right corner", func() bool {
		ctlAt = winRect(t, x, ctl)
		return ctlAt.Min.X > 512 && ctlAt.Max.Y < 300
	})

	// The window moves under the control: the control goes elsewhere.
	xdo("windowmove", "--sync", itoa(crm), strconv.Itoa(ctlAt.Min.X-100), "0")
	waitFor(t, "the control to step aside", func() bool {
		return !winRect(t, x, ctl).Overlaps(frame(t, x, crm))
	})

	// The window covers the screen: the control floats above it, and is
	// not in the screenshot.
	xdo("windowmove", "--sync", itoa(crm), "0", "0")
	xdo("windowsize", "--sync", itoa(crm), "990", "560")
	var client image.Rectangle
	waitFor(t, "the window under the control", func() bool {
		ctlAt, client = winRect(t, x, ctl), winRect(t, x, itoa(crm))
		return ctlAt.Intersect(client).Dx() > 40 && ctlAt.Intersect(client).Dy() > 40
	})
	xdo("mousemove", "--sync", "--window", itoa(crm), "100", "400")
	xdo("click", "1")
	xdo("key", "ctrl+alt+r")
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("record did not exit\n%s", errOut.String())
	}
	f, err := os.Open(filepath.Join(lib, "crm", "how-to-fill-a-form", "step-01.png"))
	if err != nil {
		t.Fatalf("%v\nstdout: %s\nstderr: %s", err, out.String(), errOut.String())
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if m.Bounds().Size() != client.Size() {
		t.Fatalf("step image %v, want the window's %v", m.Bounds().Size(), client.Size())
	}
	blue := color.RGBA{0x34, 0x65, 0xa4, 0xff}
	over := ctlAt.Intersect(client).Sub(client.Min)
	bad := 0
	for y := over.Min.Y; y < over.Max.Y; y += 4 {
		for px := over.Min.X; px < over.Max.X; px += 4 {
			if color.RGBAModel.Convert(m.At(px, y)) != blue {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d sampled pixels of the step's image where the control floats (%v) are not the window's blue: the control is in the screenshot", bad, over)
	}
}

// winRect is a window's area on the screen (xwininfo).
func winRect(t *testing.T, x *focustest.X, id string) image.Rectangle {
	t.Helper()
	var ax, ay, w, h int
	for _, l := range strings.Split(x.Tool("xwininfo", "-id", id), "\n") {
		f := strings.SplitN(strings.TrimSpace(l), ":", 2)
		if len(f) != 2 {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(f[1]))
		if err != nil {
			continue
		}
		switch f[0] {
		case "Absolute upper-left X":
			ax = n
		case "Absolute upper-left Y":
			ay = n
		case "Width":
			w = n
		case "Height":
			h = n
		}
	}
	return image.Rect(ax, ay, ax+w, ay+h)
}

// frame is a client window's area with the window manager's frame.
func frame(t *testing.T, x *focustest.X, id uint32) image.Rectangle {
	t.Helper()
	r := winRect(t, x, itoa(id))
	var l, ri, top, b int
	if _, err := fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(x.Tool("xprop", "-id", itoa(id), "_NET_FRAME_EXTENTS")), "_NET_FRAME_EXTENTS(CARDINAL) =")), "%d, %d, %d, %d", &l, &ri, &top, &b); err != nil {
		t.Fatalf("_NET_FRAME_EXTENTS of 0x%x: %v", id, err)
	}
	return image.Rect(r.Min.X-l, r.Min.Y-top, r.Max.X+ri, r.Max.Y+b)
}

// TestRecordHandsGuideToApp: with the desktop app running for the library,
// `cuecard record` hands the guide it wrote to the app, whose viewer shows
// it, and ends instead of keeping a viewer process of its own.
func TestRecordHandsGuideToApp(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool")
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("crm", 420, 300)
	cl.Activate("crm")
	x.WaitActive(crm)

	lib := t.TempDir()
	bin := t.TempDir()
	opened := filepath.Join(t.TempDir(), "opened")
	os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\nprintf '%s\\n' \"$1\" >> "+opened+"\n"), 0o755)
	e := append(env(t), x.Env()...)
	e = noTray(t, append(e, "PATH="+bin+":"+os.Getenv("PATH"), "CUECARD_RUNTIME="+t.TempDir()))
	app, _ := startApp(t, e, "--library", lib)
	waitFor(t, "the app to own the library", func() bool {
		return strings.Contains(run(t, e, "--library", lib, "status").stdout, fmt.Sprintf("cuecard process %d", app.Process.Pid))
	})

	cmd := exec.Command(binary, "--library", lib, "record", "--owner", "ann@example.com", "How to send a quote")
	cmd.Env = e
	out, errOut := logFile(t, "stdout"), logFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = out.f, errOut.f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	if waitWindow(t, x, "^Recording - Cuecard$") == "" {
		t.Fatalf("no control window\n%s", errOut.String())
	}
	waitFor(t, "the recording to start", func() bool { return strings.Contains(errOut.String(), "Recording \"How to send a quote\"") })
	x.Tool("xdotool", "mousemove", "--sync", "--window", itoa(crm), "60", "35")
	x.Tool("xdotool", "click", "1")
	x.Tool("xdotool", "key", "ctrl+alt+r")
	select {
	case <-done:
		if waitErr != nil {
			t.Fatalf("record exited with %v\n%s", waitErr, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("record did not end after handing the guide over\nstdout: %s\nstderr: %s", out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "Opened it in the running Cuecard.") {
		t.Errorf("stdout: %s", out.String())
	}
	viewer := waitWindow(t, x, "^How to send a quote - Cuecard$")
	if viewer == "" {
		t.Fatal("the running app shows no viewer of the new guide")
	}
	if pid := strings.TrimSpace(x.Tool("xdotool", "getwindowpid", viewer)); pid != strconv.Itoa(app.Process.Pid) {
		t.Errorf("the viewer belongs to pid %s, not to the app (%d)", pid, app.Process.Pid)
	}
	waitFor(t, "the editor", func() bool {
		b, _ := os.ReadFile(opened)
		return strings.TrimSpace(string(b)) == filepath.Join(lib, "how-to-send-a-quote", "index.md")
	})
}

// TestRecordNamesControl: with the desktop's accessibility tree (AT-SPI
// on a private session bus) and a real GTK 3 app, a click on its "Save"
// button is the step "Click the **Save** button."; nothing of the text in
// its entry nor its window title is written.
func TestRecordNamesControl(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool")
	x.StartWM()
	addr := focustest.PrivateBus(t, x.Display)
	if err := exec.Command("/usr/bin/python3", "-c", "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk").Run(); err != nil {
		t.Fatalf("the test app needs python3-gi and gir1.2-gtk-3.0 (`.ci/deps test` installs them): %v", err)
	}
	app := exec.Command("/usr/bin/python3", filepath.Join("..", "..", "internal", "a11y", "testdata", "gtkapp.py"))
	app.Env = append(os.Environ(), "DISPLAY="+x.Display, "DBUS_SESSION_BUS_ADDRESS="+addr, "NO_AT_BRIDGE=", "GTK_THEME=Adwaita")
	stdout, err := app.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Process.Kill(); app.Wait() })
	var save image.Rectangle
	for sc := bufio.NewScanner(stdout); save.Empty() && sc.Scan(); {
		var name string
		var px, py, w, h int
		if _, err := fmt.Sscan(sc.Text(), &name, &px, &py, &w, &h); err == nil && name == "save" {
			save = image.Rect(px, py, px+w, py+h)
		}
	}
	if save.Empty() {
		t.Fatal("the test app did not say where its Save button is")
	}
	gtk := waitWindow(t, x, "^secret-notes.txt - Notes$")
	if gtk == "" {
		t.Fatal("no window of the test app")
	}
	x.Tool("xdotool", "windowactivate", "--sync", gtk)

	lib := t.TempDir()
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+addr)
	cmd := exec.Command(binary, "--library", lib, "record", "--no-open", "--owner", "ann@example.com", "How to save notes")
	cmd.Env = e
	out, errOut := logFile(t, "stdout"), logFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = out.f, errOut.f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	waitFor(t, "the recording to start", func() bool { return strings.Contains(errOut.String(), "Recording \"How to save notes\"") })
	c := save.Min.Add(save.Max).Div(2)
	x.Tool("xdotool", "mousemove", "--sync", strconv.Itoa(c.X), strconv.Itoa(c.Y))
	x.Tool("xdotool", "click", "1")
	x.Tool("xdotool", "key", "ctrl+alt+r")
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("record did not exit\n%s", errOut.String())
	}
	md, err := os.ReadFile(filepath.Join(lib, "how-to-save-notes", "index.md"))
	if err != nil {
		t.Fatalf("%v\nstdout: %s\nstderr: %s", err, out.String(), errOut.String())
	}
	if !strings.Contains(string(md), "1. Click the **Save** button.\n") {
		t.Errorf("the step does not name the button:\n%s", md)
	}
	for _, secret := range []string{"hunter2", "private words", "secret-notes"} {
		if strings.Contains(string(md), secret) {
			t.Errorf("index.md holds %q:\n%s", secret, md)
		}
	}
}
