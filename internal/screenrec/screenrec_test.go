package screenrec

import (
	"image"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestInputArgs(t *testing.T) {
	o := Options{Display: ":3", Area: image.Rect(10, 20, 651, 501), Audio: "default"}
	got := strings.Join(InputArgs("linux", o), " ")
	if want := "-f x11grab -framerate 15 -draw_mouse 1 -video_size 640x480 -i :3+10,20 -f pulse -i default"; got != want {
		t.Errorf("linux: %s\nwant %s", got, want)
	}
	o.Audio = "Microphone (Realtek Audio)"
	got = strings.Join(InputArgs("windows", o), " ")
	if want := "-f gdigrab -framerate 15 -draw_mouse 1 -offset_x 10 -offset_y 20 -video_size 640x480 -i desktop -f dshow -i audio=Microphone (Realtek Audio)"; got != want {
		t.Errorf("windows: %s\nwant %s", got, want)
	}
	o.Audio = ""
	if args := InputArgs("linux", o); slices.Contains(args, "pulse") {
		t.Errorf("no audio: %v", args)
	}
	seg := segmentArgs(Options{Display: ":3", Area: image.Rect(0, 0, 100, 100), Audio: "default", FPS: 15}, "s.mkv")
	if n := strings.Count(strings.Join(seg, " "), "-thread_queue_size 64 -f"); n != 2 {
		t.Errorf("each input needs its queue size: %v", seg)
	}
}

func TestChaptersAndRings(t *testing.T) {
	marks := []Mark{{At: 1500 * time.Millisecond, Point: image.Pt(50, 60), Title: "Click the **Save**; a=b"},
		{At: 1800 * time.Millisecond, Point: image.Pt(900, 60), Title: "Outside"},
		{At: 4 * time.Second, Point: image.Pt(10, 10), Title: "Last"}}
	got := Chapters(marks, 6*time.Second)
	want := ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=1800\ntitle=Click the **Save**\\; a\\=b\n" +
		"[CHAPTER]\nTIMEBASE=1/1000\nSTART=1800\nEND=4000\ntitle=Outside\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=6000\ntitle=Last\n"
	if got != want {
		t.Errorf("chapters:\n%s\nwant\n%s", got, want)
	}
	g := ringGraph(marks, image.Pt(640, 480))
	// The first ring ends where the second click is; the second is outside.
	if !strings.Contains(g, `gte(t\,1.500)*lt(t\,1.800)*28`) || strings.Contains(g, "878") || !strings.Contains(g, `gte(t\,4.000)*lt(t\,4.600)`) {
		t.Errorf("graph: %s", g)
	}
	if ringGraph(marks[1:2], image.Pt(640, 480)) != "" {
		t.Error("a click outside the area has a ring")
	}
}

func TestDshowAudio(t *testing.T) {
	list := `[dshow @ 0000] "Integrated Camera" (video)
[dshow @ 0000]   Alternative name "@device_pnp_..."
[dshow @ 0000] "Microphone Array (Realtek(R) Audio)" (audio)
`
	if got := dshowAudio(list); got != "Microphone Array (Realtek(R) Audio)" {
		t.Errorf("got %q", got)
	}
	if dshowAudio(`[dshow @ 0] "Camera" (video)`) != "" {
		t.Error("a camera is no microphone")
	}
}

func TestFindWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Find()
	if err == nil || !strings.Contains(err.Error(), "FFmpeg is not installed") || !strings.Contains(err.Error(), "install") {
		t.Errorf("err %v", err)
	}
}

func TestPlayerArgs(t *testing.T) {
	r := image.Rect(800, 0, 1280, 300)
	got := strings.Join(PlayerArgs("/usr/bin/mpv", "/lib/a b.webm", 5500*time.Millisecond, r, "How to x"), " ")
	if want := "--no-terminal --force-window=yes --keep-open=yes --ontop --focus-on-open=no --x11-name=cuecard-video --title=How to x --start=5.500 --geometry=480x300+800+0 -- /lib/a b.webm"; got != want {
		t.Errorf("mpv: %s", got)
	}
	got = strings.Join(PlayerArgs(`C:\ff\ffplay.exe`, "a.webm", 0, r, "T"), " ")
	if want := "-hide_banner -loglevel error -alwaysontop -window_title T -ss 0.000 -x 480 -y 300 -left 800 -top 0 a.webm"; got != want {
		t.Errorf("ffplay: %s", got)
	}
}
