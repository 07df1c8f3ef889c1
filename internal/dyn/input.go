package dyn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseJSON reads a request object, keeping numbers exact. It is stricter
// than encoding/json, which keeps the last of two equal keys and turns
// invalid UTF-8 and lone surrogates into U+FFFD: a request must say one
// thing, and say it in the bytes the kernel will get.
func ParseJSON(src string) (map[string]any, error) {
	if strings.TrimSpace(src) == "" {
		return map[string]any{}, nil
	}
	p := &jsonParser{src: src, dec: json.NewDecoder(strings.NewReader(src))}
	p.dec.UseNumber()
	tok, err := p.token()
	if err != nil {
		return nil, fmt.Errorf("--json: %w", err)
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("--json: the request must be a JSON object, got %s", describe(tok))
	}
	v, err := p.object("", 0)
	if err != nil {
		return nil, fmt.Errorf("--json: %w", err)
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("--json: trailing data after the object")
	}
	return v, nil
}

type jsonParser struct {
	src  string
	dec  *json.Decoder
	prev int64 // input offset before the last token
}

func (p *jsonParser) token() (json.Token, error) {
	p.prev = p.dec.InputOffset()
	tok, err := p.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected end of input")
	}
	return tok, err
}

// checkString rejects a string whose decoded text differs from what was
// written: invalid UTF-8 or a lone surrogate escape, both of which
// encoding/json silently replaces with U+FFFD.
func (p *jsonParser) checkString(s, where string) error {
	if !strings.ContainsRune(s, utf8.RuneError) {
		return nil
	}
	raw := p.src[p.prev:p.dec.InputOffset()]
	wrote := strings.Count(raw, "\uFFFD") + strings.Count(strings.ToLower(raw), `\ufffd`)
	if strings.Count(s, "\uFFFD") == wrote {
		return nil
	}
	return fmt.Errorf("%s: string is not valid UTF-8 (an invalid byte or an unpaired surrogate escape)", where)
}

func (p *jsonParser) object(path string, depth int) (map[string]any, error) {
	if depth > maxNestDepth {
		return nil, fmt.Errorf("%s: input nested deeper than %d levels", orTop(path), maxNestDepth)
	}
	out := map[string]any{}
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		if tok == json.Delim('}') {
			return out, nil
		}
		key, _ := tok.(string)
		at := join(path, key)
		if err := p.checkString(key, at); err != nil {
			return nil, err
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("%s: duplicate key %q; each attribute may appear once (a multi-attr attribute takes a list)", at, key)
		}
		v, err := p.value(at, depth)
		if err != nil {
			return nil, err
		}
		out[key] = v
	}
}

func (p *jsonParser) value(path string, depth int) (any, error) {
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return p.object(path, depth+1)
		}
		// '[': the decoder only returns '[' or '{' where a value starts
		if depth+1 > maxNestDepth {
			return nil, fmt.Errorf("%s: input nested deeper than %d levels", path, maxNestDepth)
		}
		list := []any{}
		for i := 0; ; i++ {
			if !p.dec.More() {
				if _, err := p.token(); err != nil {
					return nil, err
				}
				return list, nil
			}
			v, err := p.value(fmt.Sprintf("%s[%d]", path, i), depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case string:
		if err := p.checkString(t, path); err != nil {
			return nil, err
		}
	}
	return tok, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orTop(path string) string {
	if path == "" {
		return "request"
	}
	return path
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return "a list"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	default:
		return fmt.Sprint(t)
	}
}

// maxExponent bounds the exponent of a JSON number before big.Rat sees it:
// 1e1000000000 would otherwise cost gigabytes; no 64-bit value needs more
// than 20 digits.
const maxExponent = 400

// jsonInt reads a JSON number as the integer it denotes: 1e3 and 10.0 are
// integers, 1.5 and 1e-3 are not. JSON has one number type, so a client
// that writes 1e3 means the thousand.
func jsonInt(s string) (*big.Int, error) {
	if !strings.ContainsAny(s, ".eE") {
		n, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("%s is not a number", s)
		}
		return n, nil
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if strings.Trim(mant, "-+0.") == "" {
		return new(big.Int), nil
	}
	if hasExp {
		e, err := strconv.Atoi(exp)
		if err != nil || e > maxExponent || e < -maxExponent {
			return nil, fmt.Errorf("%s is out of range", s)
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("%s is not a number", s)
	}
	if !r.IsInt() {
		return nil, fmt.Errorf("%s is not an integer", s)
	}
	return new(big.Int).Set(r.Num()), nil
}

// checkText rejects what a C string cannot carry: the kernel (and the
// Windows driver) read a string attribute up to its first NUL, so text
// after one would be silently dropped.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("string is not valid UTF-8")
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return fmt.Errorf("string has a NUL character at byte %d; the kernel would read only the text before it", i)
	}
	return nil
}
