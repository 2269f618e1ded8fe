package desktop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/cuecard/cuecard/internal/library"
)

// maxRemoteImage is the largest remote image the viewer loads.
const maxRemoteImage = 8 << 20

// remoteImages loads the remote images a library's settings allow
// (cuecard.yaml, remote_images): https only, redirects only to allowed
// hosts, images only, at most maxRemoteImage, no cookies, a plain
// User-Agent; kept in memory for the session.
type remoteImages struct {
	settings library.Settings
	client   *http.Client

	mu    sync.Mutex
	cache map[string][]byte
	size  int
}

func newRemoteImages(s library.Settings, client *http.Client) *remoteImages {
	if client == nil {
		client = &http.Client{}
	}
	c := *client
	c.Jar = nil
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 || !s.AllowsImage(req.URL.String()) {
			return fmt.Errorf("redirect to %s: not a host the library allows images from", req.URL.Host)
		}
		return nil
	}
	return &remoteImages{settings: s, client: &c, cache: map[string][]byte{}}
}

func (r *remoteImages) Allowed(u string) bool { return r.settings.AllowsImage(u) }

func (r *remoteImages) Fetch(ctx context.Context, u string) ([]byte, error) {
	if !r.Allowed(u) {
		return nil, errors.New("not a host the library allows images from")
	}
	r.mu.Lock()
	data, ok := r.cache[u]
	r.mu.Unlock()
	if ok {
		return data, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "Cuecard")
	req.Header.Set("Accept", "image/*")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", u, resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/") {
		return nil, fmt.Errorf("%s: not an image (%q)", u, ct)
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, maxRemoteImage+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRemoteImage {
		return nil, fmt.Errorf("%s: over %d MB", u, maxRemoteImage>>20)
	}
	r.mu.Lock()
	if r.size+len(data) <= 4*maxRemoteImage {
		r.cache[u] = data
		r.size += len(data)
	}
	r.mu.Unlock()
	return data, nil
}
