// Package templates embeds the text/templates of nlgen's C generators, so
// the C layout can be read (and changed) as C, not as Go string building.
// c.tmpl holds the blocks several outputs print (banner, license, include
// guard, comments, defines, uapi families and their enums and structs);
// every template is parsed with it.
package templates

import (
	"bytes"
	"embed"
	"sync"
	"text/template"

	"github.com/nlgen/nlgen/gen"
)

//go:embed *.tmpl
var files embed.FS

// Parse returns the named template (file name) with the shared blocks of
// c.tmpl, the escaping functions they call (gen.CFuncs) and funcs.
func Parse(name string, funcs template.FuncMap) (*template.Template, error) {
	all := template.FuncMap(gen.CFuncs())
	for k, f := range funcs {
		all[k] = f
	}
	return template.New(name).Funcs(all).ParseFS(files, name, "c.tmpl")
}

var shared = sync.OnceValues(func() (*template.Template, error) {
	return template.New("c.tmpl").Funcs(template.FuncMap(gen.CFuncs())).ParseFS(files, "c.tmpl")
})

// Spell prints one shared block of c.tmpl for data: the C spelling of a
// fragment that a target other than a C file also shows (the docs quote
// policy entries and limits as the driver's tables write them).
func Spell(block string, data any) (string, error) {
	t, err := shared()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, block, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// MustSpell is Spell for blocks whose data the generator builds itself:
// the blocks are fixed text, so an error is a broken template (a bug in
// nlgen that every golden test catches), never bad input.
func MustSpell(block string, data any) string {
	s, err := Spell(block, data)
	if err != nil {
		panic("templates/c.tmpl: " + err.Error())
	}
	return s
}
