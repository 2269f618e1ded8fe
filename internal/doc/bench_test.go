package doc

import "testing"

func benchParse(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(name, data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDOCX(b *testing.B) { benchParse(b, "e.docx", read(b, "expenses.docx")) }
func BenchmarkParseODT(b *testing.B)  { benchParse(b, "e.odt", read(b, "expenses.odt")) }
func BenchmarkParseHTML(b *testing.B) { benchParse(b, "e.html", read(b, "expenses-source.html")) }
func BenchmarkParseLink(b *testing.B) {
	benchParse(b, "a.gdoc", []byte(`{"doc_id":"1AbCdEfGhIjKlMnOpQrStUvWxYz"}`))
}
