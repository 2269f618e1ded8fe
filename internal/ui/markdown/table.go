package markdown

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/cuecard/cuecard/internal/ui/kit"
)

// minColumnWidth is the narrowest a table column gets before the table
// scrolls sideways.
const minColumnWidth = 64

// table renders a Markdown table as a grid of wrapping cells: columns get
// their natural width when it fits, and long columns share what is left.
func (r *bodyRenderer) table(t *extast.Table) fyne.CanvasObject {
	cols := len(t.Alignments)
	if cols == 0 {
		return widget.NewLabel("")
	}
	tl := &tableLayout{cols: cols, natural: make([]float32, cols)}
	var objs []fyne.CanvasObject
	rowIndex := 0
	more := 0
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		_, header := row.(*extast.TableHeader)
		if !header && rowIndex > maxTableRows {
			more++
			continue
		}
		bg := canvas.NewRectangle(color.Transparent)
		switch {
		case header:
			bg.FillColor = theme.Color(theme.ColorNameHeaderBackground)
		case rowIndex%2 == 0:
			bg.FillColor = theme.Color(theme.ColorNameInputBackground)
		}
		rowIndex++
		objs = append(objs, bg)
		c := 0
		for cell := row.FirstChild(); cell != nil && c < cols; cell = cell.NextSibling() {
			objs = append(objs, r.cell(cell, header, tl, c))
			c++
		}
		for ; c < cols; c++ {
			objs = append(objs, kit.NewFlowText())
		}
	}
	grid := container.New(tl, objs...)
	if more == 0 {
		return grid
	}
	note := kit.NewText(fmt.Sprintf("… and %d more rows: see the file.", more), kit.Style{Italic: true, Color: theme.ColorNamePlaceHolder})
	return container.NewVBox(grid, note)
}

// cell renders one table cell and records its natural width.
func (r *bodyRenderer) cell(cell ast.Node, header bool, tl *tableLayout, col int) fyne.CanvasObject {
	rt := kit.NewFlowText(r.inlineRuns(cell, kit.Style{Bold: header})...)
	ts := fyne.TextStyle{Bold: header}
	w := fyne.MeasureText(r.plain(cell), theme.TextSize(), ts).Width + 2*theme.InnerPadding() + 2
	if w > tl.natural[col] {
		tl.natural[col] = w
	}
	return rt
}

// tableLayout lays out rows of (background, cells...). Row heights depend on
// the column widths, which depend on the width the table gets; MinSize uses
// the width of the last layout.
type tableLayout struct {
	cols    int
	natural []float32
	width   float32
}

// widths shares total between the columns.
func (t *tableLayout) widths(total float32) []float32 {
	w := make([]float32, t.cols)
	var sum float32
	for _, n := range t.natural {
		sum += max(n, minColumnWidth)
	}
	if total <= 0 || sum <= total {
		// Everything fits: natural widths, the rest shared in proportion.
		extra := float32(0)
		if total > sum {
			extra = total - sum
		}
		for i, n := range t.natural {
			n = max(n, minColumnWidth)
			w[i] = n + extra*n/sum
		}
		return w
	}
	// Narrow columns keep their natural width; wide ones share the rest in
	// proportion to their natural widths.
	fixed := make([]bool, t.cols)
	for {
		left, flexSum := total, float32(0)
		for i, n := range t.natural {
			if fixed[i] {
				left -= w[i]
			} else {
				flexSum += n
			}
		}
		changed := false
		for i, n := range t.natural {
			if fixed[i] {
				continue
			}
			share := left * n / flexSum
			if n <= share {
				w[i], fixed[i], changed = n, true, true
			}
		}
		if !changed {
			for i, n := range t.natural {
				if !fixed[i] {
					w[i] = max(left*n/flexSum, minColumnWidth)
				}
			}
			return w
		}
	}
}

func (t *tableLayout) rows(objs []fyne.CanvasObject) int {
	return len(objs) / (t.cols + 1)
}

// rowHeights sizes each cell to its column width and returns the height of
// each row.
func (t *tableLayout) rowHeights(objs []fyne.CanvasObject, widths []float32) []float32 {
	n := t.rows(objs)
	hs := make([]float32, n)
	for r := 0; r < n; r++ {
		for c := 0; c < t.cols; c++ {
			cell := objs[r*(t.cols+1)+1+c]
			if cell.Size().Width != widths[c] {
				cell.Resize(fyne.NewSize(widths[c], cell.Size().Height))
			}
			hs[r] = max(hs[r], cell.MinSize().Height)
		}
	}
	return hs
}

func (t *tableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	widths := t.widths(t.width)
	var h float32
	for _, rh := range t.rowHeights(objs, widths) {
		h += rh
	}
	return fyne.NewSize(float32(t.cols)*minColumnWidth, h)
}

func (t *tableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	t.width = size.Width
	widths := t.widths(size.Width)
	hs := t.rowHeights(objs, widths)
	y := float32(0)
	for r, h := range hs {
		base := r * (t.cols + 1)
		objs[base].Move(fyne.NewPos(0, y))
		objs[base].Resize(fyne.NewSize(size.Width, h))
		x := float32(0)
		for c := 0; c < t.cols; c++ {
			cell := objs[base+1+c]
			cell.Move(fyne.NewPos(x, y))
			cell.Resize(fyne.NewSize(widths[c], h))
			x += widths[c]
		}
		y += h
	}
}
