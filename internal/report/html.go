package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
)

// Chart colours (also in the page's CSS legend).
const (
	colOK      = "#2e7d32"
	colDueSoon = "#f9a825"
	colOverdue = "#c62828"
	colNoDate  = "#9e9e9e"
	colBar     = "#1565c0"
	colGap     = "#6a1b9a"
)

// HTML writes the report as one self-contained page: inline CSS, inline SVG
// charts drawn here, no scripts, no external resources.
func HTML(w io.Writer, r *Report) error {
	data := struct {
		*Report
		Title, Period, FreshSummary, UseSummary string
		KNote, ViewsTotal, Votes, Lists, Failed string
		Views, Fresh, Searches, Apps            template.HTML
		Top                                     []GuideUsage
		TopSearches                             []SearchGap
		TopApps                                 []AppGap
	}{Report: r, Title: r.title(), Period: r.period(), FreshSummary: r.Freshness.summary(), UseSummary: r.Usage.summary(), Top: r.top(), KNote: r.kNote()}
	m := r.Usage.mask
	data.ViewsTotal = m.fig("views", r.Usage.Views)
	data.Votes = m.fig("helpful", r.Usage.Helpful) + " / " + m.fig("unhelpful", r.Usage.Unhelpful)
	data.Lists = m.fig("checklists_completed", r.Usage.Completed) + " / " + m.fig("checklists_started", r.Usage.Started)
	if r.Gaps != nil {
		data.Failed = r.Gaps.mask.fig("failed_searches", r.Gaps.FailedSearches)
	}
	data.Views = viewsChart(r.Usage.Daily)
	data.Fresh = freshnessChart(r.Freshness)
	if r.Gaps != nil {
		data.TopSearches = r.Gaps.Searches[:min(len(r.Gaps.Searches), 10)]
		data.TopApps = r.Gaps.Apps[:min(len(r.Gaps.Apps), 10)]
		var items []barItem
		for _, s := range data.TopSearches {
			items = append(items, barItem{s.Text, float64(s.Count), fmt.Sprint(s.Count)})
		}
		data.Searches = hbarChart("chart-searches", "Top searches that found nothing", items, colGap)
		items = nil
		for _, a := range data.TopApps {
			if a.Minutes > 0 {
				items = append(items, barItem{a.Name, float64(a.Minutes), duration(a.Minutes)})
			} else {
				items = append(items, barItem{a.Name, float64(a.People), plural(a.People, "installation", "installations")})
			}
		}
		data.Apps = hbarChart("chart-apps", "Apps used without a guide", items, colGap)
	}
	return page.Execute(w, data)
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"when":       DueGuide.when,
	"checklists": checklists,
	"duration":   duration,
	"focused":    AppGap.focused,
	"views":      GuideUsage.views,
	"helpful":    GuideUsage.helpful,
	"unhelpful":  GuideUsage.unhelpful,
	"people":     GuideUsage.people,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #212121; margin: 0; background: #f5f5f5; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid #e0e0e0; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: #616161; margin: 0; }
.warn { background: #fff3e0; border-left: 4px solid #ef6c00; padding: 6px 10px; margin: 8px 0; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { background: #fff; border-radius: 6px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.12); min-width: 120px; }
.card b { display: block; font-size: 24px; }
.card span { color: #616161; font-size: 12px; }
.row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.panel { background: #fff; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.12); }
.grow { flex: 1 1 420px; min-width: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; background: #fff; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eeeeee; vertical-align: top; }
th { background: #fafafa; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 12px; color: #616161; }
.overdue { color: ` + colOverdue + `; font-weight: 600; }
.due-soon { color: #a66c00; font-weight: 600; }
.no-review-date { color: #616161; }
svg text { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
.empty { color: #757575; font-style: italic; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="meta">{{.Period}}. Generated {{.Generated}}.</p>
{{if .KNote}}<p class="meta">{{.KNote}}</p>{{end}}
{{range .Warnings}}<p class="warn">Skipped: {{.}}</p>
{{end}}
<div class="cards">
<div class="card"><b>{{.Freshness.Percent}}%</b><span>guides in their review window</span></div>
<div class="card"><b>{{.Freshness.Overdue}}</b><span>overdue</span></div>
<div class="card"><b>{{.Freshness.DueSoon}}</b><span>due within 14 days</span></div>
<div class="card"><b>{{.ViewsTotal}}</b><span>views</span></div>
<div class="card"><b>{{.Votes}}</b><span>helpful / not helpful</span></div>
<div class="card"><b>{{.Lists}}</b><span>checklists completed / started</span></div>
{{if .Gaps}}<div class="card"><b>{{.Failed}}</b><span>searches found nothing</span></div>{{end}}
</div>

<h2>Freshness</h2>
<p>{{.FreshSummary}}.</p>
<div class="row">
<div class="panel">{{.Fresh}}</div>
<div class="panel grow">
{{range .Freshness.Owners}}<h3>{{.Owner}}</h3>
<table><tr><th>status</th><th>guide</th><th>due</th></tr>
{{range .Guides}}<tr><td class="{{.Status}}">{{when .}}</td><td>{{.Title}}<br><code>{{.ID}}</code></td><td>{{.Due}}</td></tr>
{{end}}</table>
{{else}}<p class="empty">Every guide is inside its review window.</p>
{{end}}</div>
</div>

<h2>Usage</h2>
<p>{{.UseSummary}}.</p>
<div class="panel">{{.Views}}</div>
<h3>Most viewed guides</h3>
{{if .Top}}<table><tr><th>guide</th><th>owner</th><th class="n">views</th><th class="n">helpful</th><th class="n">not helpful</th><th class="n">checklists completed/started</th><th class="n">people</th></tr>
{{range .Top}}<tr><td>{{.Title}}</td><td>{{.Owner}}</td><td class="n">{{views .}}</td><td class="n">{{helpful .}}</td><td class="n">{{unhelpful .}}</td><td class="n">{{checklists .}}</td><td class="n">{{people .}}</td></tr>
{{end}}</table>
{{else}}<p class="empty">No guide was opened in this period.</p>{{end}}

{{if .Gaps}}<h2>Content gaps</h2>
<p>What people looked for and did not find, and the apps they work in that have no guide: the topics to write next.</p>
<div class="row">
<div class="panel grow">{{.Searches}}
{{if .TopSearches}}<table><tr><th>search</th><th class="n">count</th><th class="n">people</th></tr>
{{range .TopSearches}}<tr><td>{{.Text}}</td><td class="n">{{.Count}}</td><td class="n">{{.People}}</td></tr>
{{end}}</table>{{else}}<p class="empty">{{if .Gaps.FailedSearches}}{{.Failed}} searches found nothing; their texts are not shared{{if .KNote}}, or were left out (fewer than {{.MinInstalls}} installations searched for them){{end}}.{{else}}Every search found something.{{end}}</p>{{end}}
</div>
<div class="panel grow">{{.Apps}}
{{if .TopApps}}<table><tr><th>app</th><th class="n">focused</th><th class="n">people</th></tr>
{{range .TopApps}}<tr><td>{{.Name}} <code>{{.Key}}</code></td><td class="n">{{focused .}}</td><td class="n">{{.People}}</td></tr>
{{end}}</table>{{else}}<p class="empty">Every app used has a guide.</p>{{end}}
</div>
</div>
{{end}}
</main>
</body>
</html>
`))

// svgText escapes text for SVG.
func svgText(s string) string { return template.HTMLEscapeString(s) }

// viewsChart is a bar chart of the views of each day.
func viewsChart(days []DayCount) template.HTML {
	const w, h, left, right, top, bottom = 1000.0, 230.0, 44.0, 12.0, 28.0, 30.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="chart-views" class="chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="Views per day">`, w, h)
	b.WriteString(`<text x="0" y="16" font-size="14" font-weight="600">Views per day</text>`)
	peak := 0
	for _, d := range days {
		if !d.Masked() {
			peak = max(peak, d.Views)
		}
	}
	scale := niceMax(peak)
	plotW, plotH := w-left-right, h-top-bottom
	for i := 0; i <= 4; i++ {
		v := scale * i / 4
		y := top + plotH - plotH*float64(v)/float64(scale)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e0e0e0"/>`, left, y, w-right, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="#616161">%d</text>`, left-6, y+4, v)
	}
	n := max(len(days), 1)
	slot := plotW / float64(n)
	bw := math.Max(1, slot*0.72)
	for i, d := range days {
		x := left + slot*float64(i) + (slot-bw)/2
		bh := plotH * float64(d.Views) / float64(scale)
		if d.Masked() {
			bh = 0
		}
		fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s views</title></rect>`,
			x, top+plotH-bh, bw, bh, colBar, d.Date, d.mask.fig("views", d.Views))
		step := max(1, (n+9)/10)
		if i%step == 0 || i == n-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#616161">%s</text>`, x+bw/2, h-10, svgText(shortDate(d.Date)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func shortDate(d string) string {
	if len(d) == 10 {
		return d[5:]
	}
	return d
}

// niceMax rounds a chart's top value up to 1, 2, 2.5 or 5 times a power of
// ten that divides into four gridlines.
func niceMax(v int) int {
	if v <= 4 {
		return 4
	}
	p := 1
	for p*10 < v {
		p *= 10
	}
	for _, m := range []int{1, 2, 4, 5, 6, 8, 10} {
		if c := p * m; c >= v && c%4 == 0 {
			return c
		}
	}
	return (v + 3) / 4 * 4
}

// freshnessChart is a donut of the guides by review state.
func freshnessChart(f Freshness) template.HTML {
	const size, r, stroke = 240.0, 78.0, 34.0
	segs := []struct {
		label, colour string
		n             int
	}{
		{"in review window", colOK, f.InWindow - f.DueSoon},
		{"due within 14 days", colDueSoon, f.DueSoon},
		{"overdue", colOverdue, f.Overdue},
		{"no review date", colNoDate, f.NoDate},
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="chart-freshness" class="chart" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="Guides by review state">`, size, size+96, size, size+96)
	b.WriteString(`<text x="0" y="16" font-size="14" font-weight="600">Review state</text>`)
	cx, cy := size/2, 24+size/2-6
	circ := 2 * math.Pi * r
	fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="#eeeeee" stroke-width="%.0f"/>`, cx, cy, r, stroke)
	offset := 0.0
	for _, s := range segs {
		if s.n == 0 || f.Guides == 0 {
			continue
		}
		l := circ * float64(s.n) / float64(f.Guides)
		fmt.Fprintf(&b, `<circle class="segment" cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="%s" stroke-width="%.0f" stroke-dasharray="%.2f %.2f" stroke-dashoffset="%.2f" transform="rotate(-90 %.1f %.1f)"><title>%s: %d</title></circle>`,
			cx, cy, r, s.colour, stroke, l, circ-l, -offset, cx, cy, s.label, s.n)
		offset += l
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="26" font-weight="600" text-anchor="middle">%.0f%%</text>`, cx, cy+4, f.Percent)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#616161">in window</text>`, cx, cy+22)
	for i, s := range segs {
		y := size + 8 + float64(i)*20
		fmt.Fprintf(&b, `<rect x="8" y="%.0f" width="12" height="12" fill="%s"/><text x="28" y="%.0f" font-size="12">%s: %d</text>`, y, s.colour, y+11, s.label, s.n)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

type barItem struct {
	label string
	value float64
	text  string
}

// hbarChart is a horizontal bar chart of labelled values.
func hbarChart(id, title string, items []barItem, colour string) template.HTML {
	const w, labelW, rowH, top = 480.0, 190.0, 22.0, 28.0
	h := top + rowH*float64(max(len(items), 1)) + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="%s" class="chart" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="%s">`, id, w, h, svgText(title))
	fmt.Fprintf(&b, `<text x="0" y="16" font-size="14" font-weight="600">%s</text>`, svgText(title))
	peak := 0.0
	for _, it := range items {
		peak = math.Max(peak, it.value)
	}
	if len(items) == 0 {
		fmt.Fprintf(&b, `<text x="0" y="%.0f" font-size="12" fill="#757575">nothing to show</text>`, top+14)
	}
	for i, it := range items {
		y := top + rowH*float64(i)
		bw := 0.0
		if peak > 0 {
			bw = (w - labelW - 80) * it.value / peak
		}
		label := it.label
		if r := []rune(label); len(r) > 28 {
			label = string(r[:27]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="12" text-anchor="end">%s</text>`, labelW-8, y+14, svgText(label))
		fmt.Fprintf(&b, `<rect class="bar" x="%.0f" y="%.0f" width="%.1f" height="%.0f" fill="%s"><title>%s: %s</title></rect>`, labelW, y+3, math.Max(bw, 1), rowH-6, colour, svgText(it.label), svgText(it.text))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" font-size="12" fill="#424242">%s</text>`, labelW+math.Max(bw, 1)+6, y+14, svgText(it.text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
