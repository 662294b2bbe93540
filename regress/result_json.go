package regress

import (
	"encoding/json"
	"math"

	"github.com/agglo/agglo/internal/nulljson"
)

// jsonNumber is a float64 that encodes NaN and ±Inf as JSON null (a
// parameter without a standard error, say) and decodes null as NaN.
type jsonNumber float64

// MarshalJSON implements json.Marshaler.
func (x jsonNumber) MarshalJSON() ([]byte, error) {
	return nulljson.AppendFloat(nil, float64(x)), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (x *jsonNumber) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*x = jsonNumber(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*x = jsonNumber(f)
	return nil
}

type coefficientJSON struct {
	Name      string     `json:"name"`
	Estimate  jsonNumber `json:"estimate"`
	StdError  jsonNumber `json:"std_error"`
	Statistic jsonNumber `json:"statistic"`
	PValue    jsonNumber `json:"p_value"`
}

// MarshalJSON writes a coefficient with null for a value that is not
// finite (json cannot encode NaN).
func (c Coefficient) MarshalJSON() ([]byte, error) {
	return json.Marshal(coefficientJSON{c.Name, jsonNumber(c.Estimate), jsonNumber(c.StdError), jsonNumber(c.Statistic), jsonNumber(c.PValue)})
}

// UnmarshalJSON reads a coefficient, null as NaN.
func (c *Coefficient) UnmarshalJSON(b []byte) error {
	var v coefficientJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Coefficient{v.Name, float64(v.Estimate), float64(v.StdError), float64(v.Statistic), float64(v.PValue)}
	return nil
}

type effectJSON struct {
	Name     string     `json:"name"`
	Estimate jsonNumber `json:"estimate"`
	StdError jsonNumber `json:"std_error"`
	PValue   jsonNumber `json:"p_value"`
}

// MarshalJSON writes an effect with null for a value that is not finite.
func (e Effect) MarshalJSON() ([]byte, error) {
	return json.Marshal(effectJSON{e.Name, jsonNumber(e.Estimate), jsonNumber(e.StdError), jsonNumber(e.PValue)})
}

// UnmarshalJSON reads an effect, null as NaN.
func (e *Effect) UnmarshalJSON(b []byte) error {
	var v effectJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*e = Effect{v.Name, float64(v.Estimate), float64(v.StdError), float64(v.PValue)}
	return nil
}
