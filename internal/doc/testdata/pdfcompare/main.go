// Command pdfcompare measured the PDF text extractors of docs/library.md
// against poppler's pdftotext: go run . ../ (with pdftotext on the PATH)
// prints, per PDF and extractor, the share of pdftotext's words and word
// pairs found, and the time per document. It is a module of its own, so
// the compared libraries stay out of Cuecard's build.
package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	dpdf "github.com/dslipak/pdf"
	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	lpdf "github.com/ledongthuc/pdf"
)

func ref(path string, n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		b, _ := exec.Command("pdftotext", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), path, "-").Output()
		out = append(out, string(b))
	}
	return out
}

func ledong(data []byte) (pages []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			pages = append(pages, "")
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			return pages, err
		}
		var b strings.Builder
		for _, row := range rows {
			for _, w := range row.Content {
				b.WriteString(w.S)
			}
			b.WriteString("\n")
		}
		pages = append(pages, b.String())
	}
	return pages, nil
}

func ledongPlain(data []byte) (pages []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	fonts := map[string]*lpdf.Font{}
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				fonts[name] = &f
			}
		}
		s, err := p.GetPlainText(fonts)
		if err != nil {
			return pages, err
		}
		pages = append(pages, s)
	}
	return pages, nil
}

// gaps: the page's glyphs in content-stream order; a space where the next
// glyph starts clearly right of the last one's end, a line break where it
// goes to another line.
func gaps(data []byte) (pages []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			pages = append(pages, "")
			continue
		}
		var b strings.Builder
		var lastX, lastY, lastSize float64
		first := true
		for _, t := range p.Content().Text {
			size := t.FontSize
			if size <= 0 {
				size = 10
			}
			if !first {
				dy := t.Y - lastY
				if dy < 0 {
					dy = -dy
				}
				switch {
				case dy > 0.5*max(size, lastSize):
					b.WriteString("\n")
				case t.X-lastX > 0.15*size || t.X < lastX-size:
					if !strings.HasSuffix(b.String(), " ") && t.S != " " {
						b.WriteString(" ")
					}
				}
			}
			first = false
			b.WriteString(t.S)
			lastX, lastY, lastSize = t.X+t.W, t.Y, size
		}
		pages = append(pages, b.String())
	}
	return pages, nil
}

func dslipak(data []byte) (pages []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := dpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	for i := 1; i <= r.NumPage(); i++ {
		s, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			return pages, err
		}
		pages = append(pages, s)
	}
	return pages, nil
}

var inst pdfium.Pdfium

func pdfiumText(data []byte) ([]string, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return nil, err
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	n, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, err
	}
	var pages []string
	for i := 0; i < n.PageCount; i++ {
		t, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return pages, err
		}
		pages = append(pages, t.Text)
	}
	return pages, nil
}

func words(s string) []string { return strings.Fields(s) }

// recall of reference words (multiset) and bigrams in got.
func score(ref, got string) (wr, br, wp float64) {
	rw, gw := words(ref), words(got)
	if len(rw) == 0 {
		if len(gw) == 0 {
			return 1, 1, 1
		}
		return 1, 1, 0
	}
	count := map[string]int{}
	for _, w := range gw {
		count[w]++
	}
	hit := 0
	for _, w := range rw {
		if count[w] > 0 {
			count[w]--
			hit++
		}
	}
	wr = float64(hit) / float64(len(rw))
	if len(gw) > 0 {
		wp = float64(hit) / float64(len(gw))
	}
	bg := map[string]int{}
	for i := 0; i+1 < len(gw); i++ {
		bg[gw[i]+" "+gw[i+1]]++
	}
	bh := 0
	for i := 0; i+1 < len(rw); i++ {
		k := rw[i] + " " + rw[i+1]
		if bg[k] > 0 {
			bg[k]--
			bh++
		}
	}
	if len(rw) > 1 {
		br = float64(bh) / float64(len(rw)-1)
	} else {
		br = wr
	}
	return
}

func main() {
	pool, err := webassembly.Init(webassembly.Config{MinIdle: 1, MaxIdle: 1, MaxTotal: 1})
	if err != nil {
		panic(err)
	}
	inst, err = pool.GetInstance(30 * time.Second)
	if err != nil {
		panic(err)
	}
	files, _ := filepath.Glob(os.Args[1] + "/*.pdf")
	type ex struct {
		name string
		f    func([]byte) ([]string, error)
	}
	exs := []ex{{"ledongthuc/pdf rows", ledong}, {"ledongthuc/pdf plain", ledongPlain}, {"ledongthuc+gaps", gaps}, {"dslipak/pdf plain", dslipak}, {"pdfium wasm", pdfiumText}}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		pages, _ := pdfiumText(data)
		rp := ref(f, max(len(pages), 1))
		for _, e := range exs {
			start := time.Now()
			var got []string
			var err error
			const reps = 5
			for i := 0; i < reps; i++ {
				got, err = e.f(data)
			}
			el := time.Since(start) / reps
			var wr, br, wp float64
			for i, r := range rp {
				g := ""
				if i < len(got) {
					g = got[i]
				}
				a, b, c := score(r, g)
				wr += a / float64(len(rp))
				br += b / float64(len(rp))
				wp += c / float64(len(rp))
			}
			fmt.Printf("%-14s %-22s pages %d/%d words %.0f%% bigrams %.0f%% precision %.0f%% %v err=%v\n", filepath.Base(f), e.name, len(got), len(rp), wr*100, br*100, wp*100, el.Round(time.Microsecond), err)
			if os.Getenv("SHOW") == e.name {
				for i, g := range got {
					fmt.Printf("--- page %d\n%s\n", i+1, g)
				}
			}
		}
	}
}
