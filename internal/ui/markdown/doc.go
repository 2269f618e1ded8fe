// Package markdown renders the body of a guide as fyne objects (Render).
// Links and images go where guide.ResolveLink and guide.LibraryPath allow:
// web pages, mail and other guides of the library, never a file or program
// outside it.
//
// What the rendering needs from its caller comes in Options: the library's
// files for images, the loader of allowed remote images, what a tapped link
// does, and how a checklist step is shown. It imports fyne, goldmark, guide
// and internal/ui/kit.
//
// Threading: call Render on fyne's UI goroutine; a remote image is loaded
// on a goroutine of its own and shown through Options.Do.
package markdown
