// Package resources holds the files Cuecard ships inside its binary: the
// sample guide library that a new user can install as a starting point.
//
// Library is rooted at "library": guide paths inside it look like
// "library/sales/monthly-sales-report.md". Use fs.Sub(Library, "library") to
// get a file system whose paths match guide IDs.
package resources

import "embed"

// Library is the bundled sample library: Markdown guides with YAML front
// matter, organised in folders by team, plus the template files and images
// they refer to.
//
//go:embed library
var Library embed.FS
