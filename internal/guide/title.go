package guide

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// questionWords start a title phrased as a question.
var questionWords = map[string]bool{
	"how": true, "what": true, "why": true, "when": true, "where": true, "who": true, "which": true,
	"can": true, "could": true, "do": true, "does": true, "is": true, "are": true, "should": true,
	"will": true, "may": true, "whom": true, "whose": true,
}

// taskVerbs are imperative verbs that start a title phrased as a task.
var taskVerbs = map[string]bool{}

func init() {
	for _, v := range strings.Fields(`
accept activate add adjust answer apply approve archive arrange assign attach audit authorise authorize
back balance book build calculate call cancel change check choose claim clean clear close collect compare
complete configure confirm connect convert copy count create decline delete deploy design disable download
draft edit enable encrypt enter escalate estimate export file fill filter find fix follow format forward
generate get give grant handle hire import insert install invite invoice issue join keep label launch leave
let list lock log make manage map mark measure merge migrate monitor move name notify offboard onboard open
order organise organize pack pay pick pitch plan prepare present price print prioritise prioritize process
protect publish quote read reassign receive reconcile record recover refund register reject release remove
rename renew reopen repair reply report request reschedule reset resolve respond restart restore return
review rotate route run save scan schedule search select send set settle share ship sign sort split start
stop submit switch sync tag take test track train transfer triage troubleshoot turn undo unlock update
upgrade upload use validate verify welcome write`) {
		taskVerbs[v] = true
	}
}

// TaskOrQuestion reports whether a title is phrased as a task ("How to ...",
// "Create an invoice") or a question ("Why is my invoice late?"). A title
// with letters of another script than Latin (Japanese, Chinese, Persian,
// Russian...) counts as phrased well: the check knows English verbs only.
func TaskOrQuestion(title string) bool {
	t := strings.TrimSpace(title)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.HasSuffix(t, "؟") {
		return true
	}
	if !latin(t) {
		return true // the verbs below are English: other scripts are not judged
	}
	f := strings.Fields(strings.ToLower(t))
	if len(f) < 2 {
		return false
	}
	w := strings.Trim(f[0], `"'“”‘’:,.`)
	return questionWords[w] || taskVerbs[w]
}

// Quote quotes s for a message, as the reader's editor shows it: Persian
// or Arabic text keeps its zero-width non-joiners and direction marks
// (strconv.Quote would print "\u200c"). Control characters are escaped,
// and a text of nothing but invisible characters is quoted with escapes so
// the message shows what is there.
func Quote(s string) string {
	visible := false
	for _, r := range s {
		if !unicode.Is(unicode.Cf, r) && !unicode.IsSpace(r) && !unicode.IsControl(r) {
			visible = true
			break
		}
	}
	if !visible {
		return strconv.Quote(s)
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsControl(r) || r == utf8.RuneError:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// latin reports whether every letter of s is in the Latin script.
func latin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}
