package guide

import (
	"os"
	"strings"
	"testing"
)

func TestReadable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Turn on a [[Core plugins|core plugin]].", "Turn on a core plugin."},
		{"See [[Graph view]] and [[Graph view#Filters]].", "See Graph view and Graph view Filters."},
		{"A block [[Note#^abc123]] ref.", "A block Note ref."},
		{"Icon ![[x.svg#icon]] here.", "Icon  here."},
		{"A paragraph. ^b15695", "A paragraph. "},
		{"Line one ^id-1\nLine two", "Line one \nLine two"},
		{"2^10 stays, and x ^ y too", "2^10 stays, and x ^ y too"},
		{"[!info] Title\nText", " Title\nText"},
		{"[!tip]- Folded", " Folded"},
		{"Not a callout [!info] mid-line", "Not a callout [!info] mid-line"},
		{"{{< figure src=\"a.png\" >}}Caption", "Caption"},
		{"{{% note %}}Inside{{% /note %}}", "Inside"},
		{"Print {{ .Site.Title | upper }} now", "Print  now"},
		{"&lt;b&gt; &amp; &nbsp;&#39;x&#39;", "<b> & \u00a0'x'"},
		{"Unclosed [[link and {{ brace", "Unclosed [[link and {{ brace"},
		{"Plain text stays.", "Plain text stays."},
	} {
		if got := readable(c.in); got != c.want {
			t.Errorf("readable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseTextWithoutForeignMarkup(t *testing.T) {
	md, err := os.ReadFile("testdata/obsidian-hugo.md")
	if err != nil {
		t.Fatal(err)
	}
	g, ps := Parse("obsidian-hugo.md", md)
	if g == nil {
		t.Fatalf("rejected: %v", ps)
	}
	for _, bad := range []string{"[[", "]]", "![[", "^b15695", "[!info]", "{{", "}}", "&lt;", "&nbsp;", "quick-reference", ".Title"} {
		if strings.Contains(g.Text, bad) {
			t.Errorf("text contains %q:\n%s", bad, g.Text)
		}
	}
	for _, want := range []string{"Core plugins", "core plugin in Settings", "Graph view Filters for more.", "<here>"} {
		if !strings.Contains(g.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, g.Text)
		}
	}
	if g.Summary != "A page written for Obsidian and Hugo and friends." {
		t.Errorf("summary %q", g.Summary)
	}
}

func FuzzReadable(f *testing.F) {
	f.Add("Turn on a [[Core plugins|core plugin]] ![[x.svg]] ^b1 {{< note >}}x{{< /note >}} &lt;")
	f.Add("[!info]- [[a#^b]] {{% x %}} {{ .T }} [[ {{")
	f.Fuzz(func(t *testing.T, in string) {
		out := readable(in)
		if len(out) > len(in) {
			t.Fatalf("readable(%q) = %q grew", in, out)
		}
	})
}
