// Package templates embeds the text/templates of nlgen's C generators, so
// the C layout can be read (and changed) as C, not as Go string building.
// c.tmpl holds the blocks several outputs print (banner, license, include
// guard, comments, defines, uapi families and their enums and structs,
// NL_POLICY entries, ioctl method and access); every template is parsed
// with it, and generators hand them data only.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"sync"
	"text/template"

	"github.com/nlgen/nlgen/gen"
)

//go:embed *.tmpl
var fsys embed.FS

// parsed holds each template (file name) with the shared blocks of c.tmpl
// and the functions they call (gen.CFuncs), parsed once: a template is
// safe to execute concurrently.
var parsed sync.Map // name -> func() (*template.Template, error)

func lookup(name string) (*template.Template, error) {
	f, _ := parsed.LoadOrStore(name, sync.OnceValues(func() (*template.Template, error) {
		files := []string{"c.tmpl"}
		if name != "c.tmpl" {
			files = append([]string{name}, files...)
		}
		return template.New(name).Funcs(template.FuncMap(gen.CFuncs())).ParseFS(fsys, files...)
	}))
	return f.(func() (*template.Template, error))()
}

// Execute renders the named template file for data.
func Execute(name string, data any) ([]byte, error) {
	t, err := lookup(name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b.Bytes(), nil
}

// Spell prints one shared block of c.tmpl for data: the C spelling of a
// fragment that a target other than a C file also shows (the docs quote
// policy entries and limits as the driver's tables write them).
func Spell(block string, data any) (string, error) {
	t, err := lookup("c.tmpl")
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
