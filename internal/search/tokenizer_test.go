package search

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func terms(text string) []string {
	var out []string
	for _, t := range (wordTokenizer{}).Tokenize([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

func TestWordTokenizer(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"How to refund an order", []string{"how", "to", "refund", "an", "order"}},
		{"INV-2031 (QuickBooks), v2.5", []string{"inv", "2031", "quickbooks", "v2", "5"}},
		{"Café déjà-vu Straße", []string{"cafe", "deja", "vu", "strasse"}},
		{"don't", []string{"don", "t"}},
		{"日本語 text", []string{"日本", "本語", "text"}},
		{"端到端加密", []string{"端到", "到端", "端加", "加密"}},
		{"同 步", []string{"同", "步"}},
		{"エンドツーエンド暗号化", []string{"エン", "ンド", "ドツ", "ツー", "ーエ", "エン", "ンド", "ド暗", "暗号", "号化"}},
		{"동기화 설정", []string{"동기", "기화", "설정"}},
		{"Sync暗号化のアップグレード", []string{"sync", "暗号", "号化", "化の", "のア", "アッ", "ップ", "プグ", "グレ", "レー", "ード"}},
		{"", nil},
		{"  --  ", nil},
	} {
		if got := terms(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
	// Offsets point into the input; positions count words.
	in := "Ünïcode Refund"
	toks := (wordTokenizer{}).Tokenize([]byte(in))
	if in[toks[1].Start:toks[1].End] != "Refund" || toks[1].Position != 2 {
		t.Errorf("token %+v", toks[1])
	}
}

func TestFoldedEqual(t *testing.T) {
	for _, tc := range []struct {
		w, t   string
		prefix bool
		want   bool
	}{
		{"Refund", "refund", false, true},
		{"Refunds", "refund", false, false},
		{"Refunds", "refund", true, true},
		{"Ref", "refund", true, false},
		{"Réfund", "refund", false, true},
	} {
		if got := foldedEqual([]byte(tc.w), tc.t, tc.prefix); got != tc.want {
			t.Errorf("foldedEqual(%q, %q, %v) = %v", tc.w, tc.t, tc.prefix, got)
		}
	}
}

func FuzzWordTokenizer(f *testing.F) {
	f.Add("How to refund an ORDER in QuickBooks? Café ß 日本")
	f.Add("端到端加密 エンドツーエンド暗号化 동기화 a日本語b")
	f.Fuzz(func(t *testing.T, in string) {
		toks := (wordTokenizer{}).Tokenize([]byte(in))
		// Tokens start in order; CJK bigrams overlap (each starts inside
		// the one before), other words do not.
		prevStart, prevEnd := -1, 0
		for i, tok := range toks {
			overlap := tok.Type == analysis.Ideographic && tok.Start < prevEnd
			if tok.Start <= prevStart || (tok.Start < prevEnd && !overlap) || tok.End <= tok.Start || tok.End > len(in) || tok.Position != i+1 || len(tok.Term) == 0 {
				t.Fatalf("%q: bad token %d %+v", in, i, tok)
			}
			prevStart, prevEnd = tok.Start, tok.End
			if string(normalise([]byte(in[tok.Start:tok.End]))) != string(tok.Term) {
				t.Fatalf("%q: term %q is not the normal form of %q", in, tok.Term, in[tok.Start:tok.End])
			}
			if !foldedEqual([]byte(in[tok.Start:tok.End]), string(tok.Term), false) {
				t.Fatalf("%q: foldedEqual rejects its own term %q", in, tok.Term)
			}
		}
	})
}

// analyzerFreqs is what bleve's analysis path gives for text.
func analyzerFreqs(t testing.TB, name, text string) (int, map[string]int) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	toks := im.AnalyzerNamed(name).Analyze([]byte(text))
	out := map[string]int{}
	for _, tf := range analysis.TokenFrequency(toks, nil, optIndexed) {
		out[string(tf.Term)] = tf.Frequency()
	}
	return len(toks), out
}

func fieldFreqs(text string, grams bool) (int, map[string]int) {
	f := newWordsField("f", []byte(text), grams)
	f.Analyze()
	out := map[string]int{}
	for k, tf := range f.AnalyzedTokenFrequencies() {
		if k != string(tf.Term) {
			return -1, nil
		}
		out[k] = tf.Frequency()
	}
	return f.AnalyzedLength(), out
}

// checkField compares wordsField with the mapping's analyzers.
func checkField(t testing.TB, text string) {
	for _, tc := range []struct {
		analyzer string
		grams    bool
	}{{analyzerText, false}, {analyzerPrefix, true}} {
		wantLen, want := analyzerFreqs(t, tc.analyzer, text)
		gotLen, got := fieldFreqs(text, tc.grams)
		if gotLen != wantLen || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s of %q:\n got %d %v\nwant %d %v", tc.analyzer, text, gotLen, got, wantLen, want)
		}
	}
}

func TestWordsFieldMatchesAnalyzers(t *testing.T) {
	for _, text := range []string{
		"",
		"How to refund an order in QuickBooks",
		"Refund refund REFUND refunds: the refund of an order, and the order of a refund.",
		"Supercalifragilisticexpialidocious Ünïcode café Straße 日本語 INV-2031",
	} {
		checkField(t, text)
	}
}

func FuzzWordsField(f *testing.F) {
	f.Add("How to refund an ORDER in QuickBooks? Café ß 日本 the the to")
	f.Fuzz(func(t *testing.T, text string) {
		checkField(t, text)
	})
}
