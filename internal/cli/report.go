package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nlgen/nlgen/schema"
)

// Finding is one reported problem, for lint and breaking.
type Finding struct {
	schema.Diagnostic
	Severity string // error or warning
}

var errorFormats = []string{"text", "json", "github-actions"}

func checkErrorFormat(f string) error {
	for _, ok := range errorFormats {
		if f == ok {
			return nil
		}
	}
	return usage("--error-format %q is not one of %s", f, strings.Join(errorFormats, ", "))
}

// writeFindings prints findings in the chosen format: text is
// path:line:col: rule: message (warnings say so), json is one array,
// github-actions uses workflow commands so findings annotate the PR.
func writeFindings(w io.Writer, format string, fs []Finding) error {
	switch format {
	case "json":
		type jf struct {
			Path     string `json:"path"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
		}
		out := make([]jf, 0, len(fs))
		for _, f := range fs {
			out = append(out, jf{f.Pos.File, f.Pos.Line, f.Pos.Col, f.Rule, f.Severity, f.Msg})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "github-actions":
		for _, f := range fs {
			level := "error"
			if f.Severity == "warning" {
				level = "warning"
			}
			fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
				ghEscapeProp(f.Pos.File), f.Pos.Line, f.Pos.Col, ghEscapeProp(f.Rule), ghEscapeData(f.Msg))
		}
		return nil
	default:
		for _, f := range fs {
			if f.Severity == "warning" {
				fmt.Fprintf(w, "%s: %s: warning: %s\n", f.Pos, f.Rule, f.Msg)
			} else {
				fmt.Fprintln(w, f.Diagnostic.Error())
			}
		}
		return nil
	}
}

func ghEscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghEscapeProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func findings(severity string, ds schema.Diagnostics) []Finding {
	out := make([]Finding, 0, len(ds))
	for _, d := range ds {
		out = append(out, Finding{Diagnostic: d, Severity: severity})
	}
	return out
}
