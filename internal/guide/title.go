package guide

import "strings"

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
// "Create an invoice") or a question ("Why is my invoice late?").
func TaskOrQuestion(title string) bool {
	t := strings.TrimSpace(title)
	if strings.HasSuffix(t, "?") {
		return true
	}
	f := strings.Fields(strings.ToLower(t))
	if len(f) < 2 {
		return false
	}
	w := strings.Trim(f[0], `"'“”‘’:,.`)
	return questionWords[w] || taskVerbs[w]
}
