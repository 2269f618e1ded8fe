package ui

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/guide"
	lib "github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/record"
)

func TestRecordControl(t *testing.T) {
	newApp(t)
	c := NewRecordControl("How to create a deal", "Ctrl+Alt+R")
	var paused []bool
	undos, stops := 0, 0
	c.OnPause = func(p bool) { paused = append(paused, p) }
	c.OnUndo = func() { undos++ }
	c.OnStop = func() { stops++ }
	w := show(t, c, RecordControlSize)
	wantText(t, c, "Recording: How to create a deal", "0 steps", "Ctrl+Alt+R stops")
	if !button(t, c, "Undo").Disabled() {
		t.Error("Undo is enabled with no step")
	}
	c.Set(3, false)
	settle(w)
	wantText(t, c, "3 steps")
	test.Tap(button(t, c, "Undo"))
	test.Tap(button(t, c, "Pause"))
	wantText(t, c, "paused: clicks are not recorded")
	wantNoText(t, c, "Ctrl+Alt+R stops")
	test.Tap(button(t, c, "Resume"))
	test.Tap(button(t, c, "Stop"))
	if undos != 1 || stops != 1 || len(paused) != 2 || !paused[0] || paused[1] {
		t.Fatalf("undo %d, stop %d, pause %v", undos, stops, paused)
	}
	c.Set(1, false)
	wantText(t, c, "1 step")
	capture(t, w, "record-control")
}

func TestRecordPrompt(t *testing.T) {
	newApp(t)
	p := NewRecordPrompt()
	var got []string
	p.Check = func(s string) error {
		if !guide.TaskOrQuestion(s) {
			return errors.New("name the task: How to ...")
		}
		return nil
	}
	var folders []string
	p.OnRecord = func(s, folder string) { got, folders = append(got, s), append(folders, folder) }
	p.SetFolders([]string{"", "crm", "crm/deals"})
	w := show(t, p, RecordPromptSize)
	if opts := p.Folder().Options; strings.Join(opts, "|") != FolderBesideApp+"|"+FolderRoot+"|crm|crm/deals" {
		t.Fatalf("folder choices %q", opts)
	}
	wantText(t, p, "Save in", FolderBesideApp)
	test.Type(p.Entry(), "Deals")
	test.Tap(button(t, p, "Record"))
	wantText(t, p, "name the task: How to ...")
	p.Entry().SetText("")
	test.Type(p.Entry(), "How to  create a deal ")
	p.Entry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(got) != 1 || got[0] != "How to create a deal" || folders[0] != "" {
		t.Fatalf("recorded %q in %q", got, folders)
	}
	wantNoText(t, p, "name the task")
	capture(t, w, "record-prompt")
	// A folder picked; the library's top folder.
	p.Folder().SetSelected("crm/deals")
	test.Tap(button(t, p, "Record"))
	p.Folder().SetSelected(FolderRoot)
	test.Tap(button(t, p, "Record"))
	if strings.Join(folders, "|") != "|crm/deals|." {
		t.Fatalf("folders %q", folders)
	}
}

// TestRecordedGuideInViewer renders a guide written by the recorder: a
// mock app window captured as the step screenshots, written with
// record.Write, parsed and shown in the viewer (images inside the numbered
// steps, the ring at the click, the hidden step).
func TestRecordedGuideInViewer(t *testing.T) {
	newApp(t)
	shot := mockCRM(t)
	root := t.TempDir()
	crm := guide.Window{Exe: "acme-crm", Class: "AcmeCRM", Title: "Deals | Acme CRM"}
	sess := record.NewSession("How to create a deal")
	sess.Add(record.Action{Kind: record.Click, Window: crm, Image: shot, Point: image.Pt(52, 30), HasPoint: true})
	sess.Add(record.Action{Kind: record.Click, Hidden: true})
	sess.Add(record.Action{Kind: record.Shortcut, Window: crm, Keys: "Ctrl+Shift+S", Image: shot})
	sess.Add(record.Action{Kind: record.Enter, Window: crm, Image: shot})
	steps, _ := sess.Stop()
	wr, err := record.Write(root, record.Guide{Title: "How to create a deal", Owner: "jana@example.com", Today: today}, steps)
	if err != nil {
		t.Fatal(err)
	}
	g, probs := lib.ParseFile(wr.ID, wr.File)
	if g == nil {
		t.Fatal(probs)
	}
	v := NewViewer(g, ViewerConfig{Library: os.DirFS(root), Now: fixedNow, Feedback: fakeFeedback{}})
	w := show(t, v, ViewerSize)
	wantText(t, v, "How to create a deal", "Click in AcmeCRM.", "(hidden)", "Press Ctrl+Shift+S.", "Type the text and press Enter in AcmeCRM.")
	wantNoText(t, v, "[image", "not found", "Deals |")
	var imgs int
	visible(v, func(o fyne.CanvasObject) {
		if ci, ok := o.(*canvas.Image); ok && ci.Resource != nil && strings.HasPrefix(ci.Resource.Name(), "step-") {
			imgs++
		}
	})
	if imgs != 3 {
		t.Errorf("%d images shown, want 3", imgs)
	}
	capture(t, w, "recorded-guide")
	if *updateScreenshots {
		// The step image itself, for the README.
		b, err := os.ReadFile(filepath.Join(wr.Dir, "step-01.png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(screenshotDir, "recorded-step.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// mockCRM is a screenshot of a small CRM-like form rendered by fyne.
func mockCRM(t *testing.T) image.Image {
	t.Helper()
	newDeal := widget.NewButton("New deal", nil)
	newDeal.Importance = widget.HighImportance
	name := widget.NewEntry()
	name.SetPlaceHolder("Deal name")
	amount := widget.NewEntry()
	amount.SetPlaceHolder("Amount")
	list := widget.NewLabel("Globex renewal · 12,000\nInitech pilot · 4,500\nUmbrella expansion · 30,000")
	content := container.NewBorder(
		container.NewHBox(newDeal, widget.NewButton("Import", nil), widget.NewButton("Export", nil)),
		nil, nil, nil,
		container.NewVBox(widget.NewCard("Deals", "", list), widget.NewForm(widget.NewFormItem("Name", name), widget.NewFormItem("Amount", amount))))
	w := show(t, container.NewPadded(content), fyne.NewSize(480, 360))
	return w.Canvas().Capture()
}

// The control keeps to its corner while that covers nothing of the window
// the user works in, and otherwise goes where it covers the least.
func TestClearCorner(t *testing.T) {
	work := image.Rect(0, 0, 1000, 600)
	const w, h = 340, 104 // top-right: (644,16)-(984,120); bottom-right: (644,480)-(984,584)
	for _, c := range []struct {
		current string
		avoid   image.Rectangle
		want    string
	}{
		{"top-right", image.Rect(0, 0, 500, 400), "top-right"},       // left half: clear
		{"top-right", image.Rect(600, 0, 1000, 300), "bottom-right"}, // the Save As dialog top-right
		{"top-right", image.Rect(500, 0, 1000, 600), "top-left"},     // the whole right half
		{"bottom-right", image.Rect(0, 0, 400, 300), "bottom-right"}, // stays where it went
		{"top-right", image.Rect(0, 0, 1000, 560), "bottom-right"},   // maximized but a strip: the least covered
		{"top-right", image.Rect(0, 0, 1000, 600), "top-right"},      // fullscreen: nowhere better
		{"top-right", image.Rectangle{}, "top-right"},                // no active window
	} {
		if got := clearCorner(c.current, work, c.avoid, w, h); got != c.want {
			t.Errorf("clearCorner(%s, %v) = %s, want %s", c.current, c.avoid, got, c.want)
		}
	}
}
