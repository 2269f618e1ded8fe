package guide

import (
	"fmt"
	"regexp"
	"strings"
)

// Rule ties a guide to windows. Each field given is a case-insensitive
// regular expression (Go RE2 syntax, unanchored: "calc" matches "localc";
// write "^soffice$" for an exact name). Every given field must match; a rule
// with no field matches nothing.
type Rule struct {
	Exe   string `json:"exe,omitempty"`
	Class string `json:"class,omitempty"`
	Title string `json:"title,omitempty"`
	// Line is the line of the rule in its file, for messages.
	Line int `json:"line,omitempty"`

	exe, class, title *regexp.Regexp
}

// CompileRule compiles the expressions of a rule. The error names the field
// and says what is wrong with the expression.
func CompileRule(exe, class, title string) (Rule, error) {
	r := Rule{Exe: exe, Class: class, Title: title}
	var err error
	if r.exe, err = compileField("exe", exe); err != nil {
		return r, err
	}
	if r.class, err = compileField("class", class); err != nil {
		return r, err
	}
	if r.title, err = compileField("title", title); err != nil {
		return r, err
	}
	return r, nil
}

// MustRule is CompileRule for tests and literals; it panics on a bad expression.
func MustRule(exe, class, title string) Rule {
	r, err := CompileRule(exe, class, title)
	if err != nil {
		panic(err)
	}
	return r
}

func compileField(field, expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile("(?i)" + expr)
	if err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "error parsing regexp: ")
		msg = strings.ReplaceAll(msg, "`(?i)", "`")
		return nil, fmt.Errorf("invalid %s regular expression %q: %s (escape special characters such as . ( [ with a backslash)", field, expr, msg)
	}
	return re, nil
}

// Empty reports whether the rule has no field.
func (r Rule) Empty() bool { return r.Exe == "" && r.Class == "" && r.Title == "" }

// compiled reports whether the expressions are compiled (a Rule built as a
// literal, or decoded from JSON, is not).
func (r Rule) compiled() bool {
	return (r.Exe == "" || r.exe != nil) && (r.Class == "" || r.class != nil) && (r.Title == "" || r.title != nil)
}

// Compile returns r with its expressions compiled.
func (r Rule) Compile() (Rule, error) {
	if r.compiled() {
		return r, nil
	}
	c, err := CompileRule(r.Exe, r.Class, r.Title)
	c.Line = r.Line
	return c, err
}

// Match reports whether every field of the rule matches w. The class
// expression matches either part of WM_CLASS (class or instance). An
// uncompiled or empty rule matches nothing.
func (r Rule) Match(w Window) bool {
	ok, _ := r.Explain(w)
	return ok
}

// Explain is Match with the reason a rule did not match: the first field
// that failed, e.g. `title "^Deals" does not match "Inbox - Gmail"`.
func (r Rule) Explain(w Window) (bool, string) {
	if r.Empty() {
		return false, "rule has no exe, class or title"
	}
	if !r.compiled() {
		return false, "rule is not compiled"
	}
	if r.exe != nil && !r.exe.MatchString(w.Exe) {
		return false, fmt.Sprintf("exe %q does not match %q", r.Exe, w.Exe)
	}
	if r.class != nil && !r.class.MatchString(w.Class) && !r.class.MatchString(w.Instance) {
		return false, fmt.Sprintf("class %q does not match %q", r.Class, w.Class)
	}
	if r.title != nil && !r.title.MatchString(w.Title) {
		return false, fmt.Sprintf("title %q does not match %q", r.Title, w.Title)
	}
	return true, ""
}

// Specificity ranks rules: exe + title over exe alone over class over title
// alone. Higher is more specific.
func (r Rule) Specificity() int {
	s := 0
	if r.Exe != "" {
		s += 8
	}
	if r.Class != "" {
		s += 4
	}
	if r.Title != "" {
		s += 3
	}
	return s
}

// String is the rule in front-matter form, e.g. `exe=firefox title=Salesforce`.
func (r Rule) String() string {
	var parts []string
	if r.Exe != "" {
		parts = append(parts, "exe="+r.Exe)
	}
	if r.Class != "" {
		parts = append(parts, "class="+r.Class)
	}
	if r.Title != "" {
		parts = append(parts, "title="+r.Title)
	}
	return strings.Join(parts, " ")
}
