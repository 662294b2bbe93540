package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/agglo/agglo/internal/nulljson"
	"github.com/agglo/agglo/regress"
)

// modelOutcome is what a batch records for one model: its spec, and its
// result or its error. It is the content of models/<id>.json.
type modelOutcome struct {
	Spec     modelSpec       `json:"spec"`
	Result   *regress.Result `json:"result,omitempty"`
	Error    string          `json:"error,omitempty"`
	Duration float64         `json:"-"`
}

// runModels fits every model with fit on jobs workers and returns the
// outcomes in the order of models. A failing model records its error; the
// others go on. progress, when non-nil, receives one tick per model.
func runModels(models []modelSpec, jobs int, fit func(modelSpec) (*regress.Result, error), progress io.Writer) []modelOutcome {
	if jobs < 1 {
		jobs = 1
	}
	out := make([]modelOutcome, len(models))
	var bar *progressbar.ProgressBar
	if progress != nil {
		bar = progressbar.NewOptions(len(models),
			progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription("fitting models"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
		)
	}
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				start := time.Now()
				res, err := fitSafely(fit, models[k])
				if err == nil {
					err = res.CheckFinite()
				}
				o := modelOutcome{Spec: models[k], Result: res, Duration: time.Since(start).Seconds()}
				if err != nil {
					o.Result = nil
					o.Error = err.Error()
				}
				out[k] = o
				if bar != nil {
					mu.Lock()
					bar.Add(1)
					mu.Unlock()
				}
			}
		}()
	}
	for k := range models {
		next <- k
	}
	close(next)
	wg.Wait()
	if bar != nil {
		bar.Finish()
	}
	return out
}

// fitSafely turns a panic inside one model's fit into that model's error,
// so that one bug cannot take down a study of thousands of models.
func fitSafely(fit func(modelSpec) (*regress.Result, error), m modelSpec) (res *regress.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("internal error fitting %s: %v", m.ID, r)
		}
	}()
	return fit(m)
}

// manifest records how a batch output folder was made.
type manifest struct {
	Agglo    string            `json:"agglo_version"`
	Build    buildInfo         `json:"build"`
	Spec     string            `json:"spec"`
	SpecText string            `json:"spec_text"`
	Inputs   map[string]string `json:"inputs_sha256"`
	Seed     uint64            `json:"seed"`
	Shard    string            `json:"shard,omitempty"`
	// Plan is the SHA-256 of the plan.json the shard ran (--plan).
	Plan   string          `json:"plan_sha256,omitempty"`
	Start  string          `json:"start"`
	End    string          `json:"end"`
	Models []manifestModel `json:"models"`
}

type manifestModel struct {
	ID       string  `json:"id"`
	Status   string  `json:"status"`
	Seconds  float64 `json:"seconds"`
	Error    string  `json:"error,omitempty"`
	Estimate string  `json:"summary,omitempty"`
}

// sha256File returns the hex SHA-256 of a file's content.
func sha256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeOutcomes writes models/<name>.json (models/<id>.json for a model
// without a name) for every outcome.
func writeOutcomes(dir string, outcomes []modelOutcome) error {
	// Mkdir, not MkdirAll: dir must exist (an interrupted run has
	// removed it; it must not come back).
	if err := os.Mkdir(filepath.Join(dir, "models"), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	for _, o := range outcomes {
		b, err := nulljson.MarshalIndent(o, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding model %s: %w", o.Spec.ID, err)
		}
		if err := writeFileAtomic(filepath.Join(dir, "models", o.Spec.title()+".json"), append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// readOutcomes reads every models/*.json of the given folders, sorted by
// model ID; a model present in two folders is an error.
func readOutcomes(dirs []string) ([]modelOutcome, error) {
	seen := map[string]string{}
	var out []modelOutcome
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "models", "*.json"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no models/*.json (is it a batch output folder?)", dir)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			var o modelOutcome
			if err := nulljson.Unmarshal(b, &o); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if prev, dup := seen[o.Spec.ID]; dup {
				return nil, fmt.Errorf("model %s is in both %s and %s", o.Spec.ID, prev, f)
			}
			seen[o.Spec.ID] = f
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Spec.ID < out[j].Spec.ID })
	return out, nil
}
