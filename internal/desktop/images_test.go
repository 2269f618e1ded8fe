package desktop

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cuecard/cuecard/internal/library"
)

// TestRemoteImagesFetch runs the real fetcher against a TLS test server:
// allowed images load; plain http, other hosts, redirects out, non-images
// and oversized bodies are refused, and a refused host is never asked.
func TestRemoteImagesFetch(t *testing.T) {
	var hits atomic.Int32
	png := []byte("\x89PNG\r\n\x1a\nfake")
	mux := http.NewServeMux()
	mux.HandleFunc("/ok.png", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Cookie") != "" || r.Header.Get("User-Agent") != "Cuecard" {
			t.Errorf("request headers %v", r.Header)
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<script></script>"))
	})
	mux.HandleFunc("/big.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(make([]byte, maxRemoteImage+10))
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example.net/x.png", http.StatusFound)
	})
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	r := newRemoteImages(library.Settings{RemoteImages: []string{u.Hostname()}}, srv.Client())
	ctx := context.Background()

	data, err := r.Fetch(ctx, srv.URL+"/ok.png")
	if err != nil || string(data) != string(png) {
		t.Fatalf("allowed image: %q %v", data, err)
	}
	if _, err := r.Fetch(ctx, srv.URL+"/ok.png"); err != nil || hits.Load() != 1 {
		t.Errorf("second fetch: %v, %d requests (want 1: cached)", err, hits.Load())
	}
	for path, want := range map[string]string{
		"/page":    "not an image",
		"/big.png": "over 8 MB",
		"/away":    "not a host the library allows",
		"/nothing": "404",
	} {
		if _, err := r.Fetch(ctx, srv.URL+path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}
	before := hits.Load()
	for _, bad := range []string{strings.Replace(srv.URL, "https:", "http:", 1) + "/ok.png", "https://other.example.org/ok.png"} {
		if r.Allowed(bad) {
			t.Errorf("%s allowed", bad)
		}
		if _, err := r.Fetch(ctx, bad); err == nil {
			t.Errorf("%s fetched", bad)
		}
	}
	if hits.Load() != before {
		t.Error("a refused URL reached the server")
	}
}
