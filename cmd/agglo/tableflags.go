package main

import (
	"github.com/spf13/pflag"
	"maps"

	"github.com/agglo/agglo/regress"
)

// tableFlags are the options of the tables that fit, batch and demo write.
type tableFlags struct {
	stars, labels string
	digits        int
}

// addTableFlags registers --stars, --digits and --labels on fs.
func addTableFlags(fs *pflag.FlagSet) *tableFlags {
	tf := &tableFlags{}
	fs.StringVar(&tf.stars, "stars", "econ", "significance stars: econ (*** 0.01, ** 0.05, * 0.1), r (R's *** 0.001 ** 0.01 * 0.05 . 0.1), none, or cut-offs such as 0.01,0.05,0.1")
	fs.IntVar(&tf.digits, "digits", 3, "significant digits of the smaller of an estimate and its standard error in tables")
	fs.StringVar(&tf.labels, "labels", "", "CSV `FILE` of variable labels (name,label) for tables")
	return tf
}

// options returns the table options of the flags, with the labels of the
// file over those of base (a spec's labels:).
func (tf *tableFlags) options(base map[string]string) (regress.TableOptions, error) {
	stars, err := regress.ParseStars(tf.stars)
	if err != nil {
		return regress.TableOptions{}, usagef("--stars: %s", libMessage(err))
	}
	if tf.digits < 1 || tf.digits > 10 {
		return regress.TableOptions{}, usagef("--digits %d: want 1 to 10", tf.digits)
	}
	labels := maps.Clone(base)
	if tf.labels != "" {
		fromFile, err := regress.ReadLabelsFile(tf.labels)
		if err != nil {
			return regress.TableOptions{}, err
		}
		if labels == nil {
			labels = map[string]string{}
		}
		maps.Copy(labels, fromFile)
	}
	return regress.TableOptions{Stars: stars, Digits: tf.digits, Labels: labels}, nil
}
