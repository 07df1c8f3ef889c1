package hostile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"

	"github.com/nlgen/nlgen/internal/gentest"
)

// The fuzz targets share one contract with the CLI: any bytes give either
// a result or diagnostics that each point at a line and column of the
// input, never a panic. Seeds are the hostile corpus (committed under
// testdata/fuzz in Go's corpus format) plus the project's real specs,
// added at run time so they never go stale.

// fuzzTargets maps each target to the corpus kind that seeds it.
var fuzzTargets = map[string]string{
	"FuzzLoadSpec":    kindSpec,
	"FuzzResolve":     kindSpec,
	"FuzzLoadWindows": kindWindows,
	"FuzzConfig":      kindConfig,
}

const fuzzFile = "fuzz.yaml"

// FuzzLoadSpec and FuzzResolve read each input twice: as the bytes of a
// spec (the hostile corpus seeds this side) and as an edit program over a
// small real spec (mutateSpec), which keeps every input well-formed YAML
// so the fuzzer explores what specs mean rather than YAML syntax.
func FuzzLoadSpec(f *testing.F) {
	addRealSeeds(f, "schema/ovs/ovs_datapath.yaml")
	addProgramSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := schema.LoadSpec(fuzzFile, src)
		checkDiagnostics(t, err)
		mutated, merr := mutateSpec(src)
		if merr != nil {
			return // yaml.v3 cannot render the tree; nothing to load
		}
		_, err = schema.LoadSpec(fuzzFile, mutated)
		checkDiagnostics(t, err)
	})
}

func FuzzResolve(f *testing.F) {
	// The small escaping fixture, not the big OVS specs: every accepted
	// input runs all generators, and small inputs keep that fast enough
	// to explore.
	addRealSeeds(f, "internal/hostile/testdata/escaping.yaml")
	addProgramSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		watchdog := time.AfterFunc(generatorTimeLimit, func() {
			panic(fmt.Sprintf("one input ran for more than %v", generatorTimeLimit))
		})
		defer watchdog.Stop()
		resolveAndGenerate(t, src)
		if mutated, err := mutateSpec(src); err == nil {
			resolveAndGenerate(t, mutated)
		}
	})
}

// resolveAndGenerate loads and resolves a spec as the pipeline does and
// runs the generators on what it accepts; it returns the model then.
func resolveAndGenerate(t *testing.T, src []byte) *ir.Model {
	spec, err := schema.LoadSpec(fuzzFile, src)
	if spec == nil {
		return nil
	}
	// the pipeline resolves a spec with schema errors too, so that
	// one run reports its dangling references as well
	m, rerr := ir.Resolve([]ir.Source{{Spec: spec, DisplayPath: fuzzFile}}, nil, "")
	checkDiagnostics(t, rerr)
	if err != nil || rerr != nil {
		return nil
	}
	generateAll(t, m, slowUnderFuzzing)
	return m
}

func FuzzLoadWindows(f *testing.F) {
	addRealSeeds(f, "schema/ovs/windows.yaml")
	f.Fuzz(func(t *testing.T, src []byte) {
		win, err := schema.LoadWindows(fuzzFile, src)
		checkDiagnostics(t, err)
		if win == nil {
			return
		}
		m, rerr := ir.Resolve(ovsSources(t), win, fuzzFile) // as the pipeline does, errors or not
		checkDiagnostics(t, rerr)
		if err == nil && rerr == nil {
			generateAll(t, m, slowUnderFuzzing)
		}
	})
}

func FuzzConfig(f *testing.F) {
	addRealSeeds(f, "nlgen.yaml")
	f.Fuzz(func(t *testing.T, src []byte) {
		_, err := config.Parse(fuzzFile, src)
		checkDiagnostics(t, err)
	})
}

// addProgramSeeds gives the fuzzer a few edit programs to start from, one
// per seed spec and kind of edit.
func addProgramSeeds(f *testing.F) {
	for seed := range len(mutationSeeds) {
		for op := range byte(8) {
			f.Add([]byte{byte(seed), op, byte(3 * seed), byte(7 * seed), op})
		}
	}
}

func addRealSeeds(f *testing.F, glob string) {
	files, err := filepath.Glob(filepath.Join(repoRoot, glob))
	require.NoError(f, err)
	require.NotEmpty(f, files, glob)
	for _, p := range files {
		src, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(src)
	}
}

// checkDiagnostics: every problem is a diagnostic on the input's own file
// with a real line and column, which is what editors and CI annotate.
func checkDiagnostics(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ds schema.Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("error is %T, not schema.Diagnostics: %v", err, err)
	}
	for _, d := range ds {
		if d.Pos.Line < 1 || d.Pos.Col < 1 || d.Rule == "" || d.Msg == "" {
			t.Fatalf("diagnostic without a position, rule or message: %q", d.Error())
		}
	}
}

// generateAll runs every registered generator: none may panic, and the
// targets that need nothing beyond the specs must render any model the
// resolver accepts (the Windows targets may refuse a model without an
// overlay, with an error).
func generateAll(t *testing.T, m *ir.Model, except ...string) {
	t.Helper()
	for _, g := range pipeline.Generators() {
		if slices.Contains(except, g.Name) {
			continue
		}
		// A generator must stay fast on any input: one that runs away
		// (exponential work over a nest graph) fails here with the input
		// saved, instead of stalling the fuzzer until its deadline.
		done := make(chan error, 1)
		go func() {
			_, err := g.Generate(&gen.Request{Model: m, Families: m.Families, Options: targetOptions(g.Name), Target: g.Name})
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil && specOnlyTargets[g.Name] && !isCRefusal(err) {
				t.Fatalf("%s rejected a resolved model: %v", g.Name, err)
			}
		case <-time.After(generatorTimeLimit):
			t.Fatalf("%s ran for more than %v on one small spec", g.Name, generatorTimeLimit)
		}
	}
}

// isCRefusal tells a target's documented refusal from a failure: names
// that collide only in C (which the model keeps, so other targets
// render), or a protocol the target does not render (netlink-raw in
// c-uapi and, for now, go; gen.RawRefusal). Every diagnostic has a place
// in the spec and is one of those.
func isCRefusal(err error) bool {
	var ds schema.Diagnostics
	if !errors.As(err, &ds) {
		return false
	}
	for _, d := range ds {
		if d.Pos.Line < 1 || d.Rule != "name-collision" && d.Rule != gen.RefusalRule {
			return false
		}
	}
	return true
}

// generatorTimeLimit is generous: a fuzz input is a few KB, which every
// generator renders in milliseconds even with coverage instrumentation.
const generatorTimeLimit = 3 * time.Second

// slowUnderFuzzing is left out of the fuzz targets: with coverage
// instrumentation its go/format pass makes an exec some 400 times slower,
// leaving the fuzzer a few hundred inputs a run. The hostile corpus, the
// escaping test (which builds its output) and the determinism tests run
// it on every `go test`.
const slowUnderFuzzing = "go"

// specOnlyTargets render from the specs alone.
var specOnlyTargets = map[string]bool{"c-uapi": true, "go": true}

// targetOptions are the options a target cannot run without.
func targetOptions(target string) gen.Options {
	if target == "go" {
		return gen.Options{"import-path": "example.com/nlgen/out"}
	}
	return gen.Options{}
}

var ovsOnce struct {
	sync.Once
	sources []ir.Source
	err     error
}

// ovsSources loads the project's OVS specs once; a Windows overlay only
// resolves against the families it describes.
func ovsSources(t *testing.T) []ir.Source {
	ovsOnce.Do(func() {
		files, _ := filepath.Glob(filepath.Join(repoRoot, "schema", "ovs", "ovs_*.yaml"))
		for _, p := range files {
			s, err := schema.LoadSpecFile(p)
			if err != nil {
				ovsOnce.err = err
				return
			}
			ovsOnce.sources = append(ovsOnce.sources, ir.Source{Spec: s, DisplayPath: filepath.Base(p)})
		}
	})
	require.NoError(t, ovsOnce.err)
	return ovsOnce.sources
}

// seedPath is where Go's fuzzing looks for a committed seed.
func seedPath(target, caseName string) string {
	return filepath.Join("testdata", "fuzz", target, strings.ReplaceAll(caseName, "/", "-"))
}

func encodeSeed(src []byte) []byte {
	return []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", src))
}

// isCorpusSeed tells seeds mirrored from the corpus ("spec-name") from
// inputs the fuzzer found and that are kept as regression tests (hashes).
func isCorpusSeed(path string) bool {
	for _, kind := range []string{kindSpec, kindWindows, kindConfig} {
		if strings.HasPrefix(filepath.Base(path), kind+"-") {
			return true
		}
	}
	return false
}

// TestFuzzSeedsAreCommitted keeps testdata/fuzz in step with the corpus:
// each hostile case is a seed of the targets of its kind, and no seed of
// a removed case lingers. Run with -update after changing the corpus.
func TestFuzzSeedsAreCommitted(t *testing.T) {
	cases := loadCorpus(t)
	want := map[string][]byte{}
	for target, kind := range fuzzTargets {
		for _, c := range cases {
			if c.Kind == kind {
				want[seedPath(target, c.Name)] = encodeSeed(c.Src)
			}
		}
	}
	have, err := filepath.Glob(filepath.Join("testdata", "fuzz", "*", "*"))
	require.NoError(t, err)
	if *gentest.Update {
		for _, p := range have {
			if isCorpusSeed(p) {
				require.NoError(t, os.Remove(p))
			}
		}
		for p, b := range want {
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, b, 0o644))
		}
		have, err = filepath.Glob(filepath.Join("testdata", "fuzz", "*", "*"))
		require.NoError(t, err)
	}
	sort.Strings(have)
	for _, p := range have {
		if _, ok := want[p]; !ok && isCorpusSeed(p) {
			t.Errorf("%s is not a corpus case any more; run go test -update", p)
		}
	}
	for p, b := range want {
		got, err := os.ReadFile(p)
		if assert.NoError(t, err, "run go test -update to commit the seed") {
			assert.Equal(t, string(b), string(got), "%s is stale; run go test -update", p)
		}
	}
}
