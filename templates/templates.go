// Package templates embeds the text/templates of nlgen's C generators, so
// the C layout can be read (and changed) as C, not as Go string building.
// c.tmpl holds the blocks several outputs print (banner, license, include
// guard, comments, defines, uapi families and their enums and structs);
// every template is parsed with it.
package templates

import (
	"embed"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// Parse returns the named template (file name) with the given functions
// and the shared blocks of c.tmpl.
func Parse(name string, funcs template.FuncMap) (*template.Template, error) {
	return template.New(name).Funcs(funcs).ParseFS(files, name, "c.tmpl")
}
