// Package nulljson encodes Go values as JSON with every non-finite number
// (NaN, +Inf, −Inf) written as null, and decodes null back into a float as
// NaN. It is the one JSON encoder of agglo's results (regress.Result, the
// Moran tests, index rows, batch outcomes and manifests, weights
// summaries): encoding/json refuses non-finite floats ("json: unsupported
// value: NaN"), so one model with an undefined statistic would otherwise
// lose a whole output.
//
// Apart from non-finite numbers the encoding is encoding/json's: the same
// field names and tags (name, omitempty, "-"), struct fields in order, map
// keys sorted, the same number and string formats, and Marshaler and
// TextMarshaler methods honoured.
package nulljson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// AppendFloat appends v to b as a JSON number, or null when v is NaN or
// infinite; −0 is written 0. It is the one place where agglo decides how
// a non-finite number is written.
func AppendFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	if v == 0 {
		v = 0 // no −0
	}
	// encoding/json's float64 format (its floatEncoder): the shortest
	// decimal that reads back exactly, in 'f' form unless the magnitude is
	// below 1e-6 or at least 1e21, and then 'e' form with a one-digit
	// negative exponent written without its leading zero (1e-07 → 1e-7).
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// Float returns v as a JSON number, or "null" when it is not finite.
func Float(v float64) string { return string(AppendFloat(nil, v)) }

// Marshal returns the JSON encoding of v, non-finite floats as null.
func Marshal(v any) ([]byte, error) {
	var e encoder
	if err := e.value(reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	return e.b, nil
}

// MarshalIndent is Marshal with json.MarshalIndent's layout.
func MarshalIndent(v any, prefix, indent string) ([]byte, error) {
	b, err := Marshal(v)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	// The layout's new lines and indents: a third more for a long vector
	// of numbers a line each, and room for a final new line.
	out.Grow(len(b) + len(b)/2)
	if err := json.Indent(&out, b, prefix, indent); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

type encoder struct{ b []byte }

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

func (e *encoder) value(v reflect.Value) error {
	if !v.IsValid() {
		e.b = append(e.b, "null"...)
		return nil
	}
	t := v.Type()
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) || t.Implements(textMarshalerType) {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			e.b = append(e.b, "null"...)
			return nil
		}
		// encoding/json calls the method, compacts its output and checks it.
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return err
		}
		e.b = append(e.b, b...)
		return nil
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		e.b = AppendFloat(e.b, v.Float())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return nil
		}
		return e.value(v.Elem())
	case reflect.Struct:
		return e.structValue(v)
	case reflect.Map:
		return e.mapValue(v)
	case reflect.Slice:
		if v.IsNil() {
			e.b = append(e.b, "null"...)
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			b, err := json.Marshal(v.Interface()) // base64, as encoding/json
			e.b = append(e.b, b...)
			return err
		}
		if fs, ok := v.Interface().([]float64); ok {
			// The long vectors of a result (fixed effects, fitted
			// values): no reflection per element, and room for all of
			// them at once (append's quarter steps would allocate a
			// million numbers' text five times over).
			e.b = slices.Grow(e.b, 2+24*len(fs))
			e.b = append(e.b, '[')
			for i, f := range fs {
				if i > 0 {
					e.b = append(e.b, ',')
				}
				e.b = AppendFloat(e.b, f)
			}
			e.b = append(e.b, ']')
			return nil
		}
		fallthrough
	case reflect.Array:
		e.b = append(e.b, '[')
		for i := range v.Len() {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			if err := e.value(v.Index(i)); err != nil {
				return err
			}
		}
		e.b = append(e.b, ']')
	default:
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return err
		}
		e.b = append(e.b, b...)
	}
	return nil
}

// field is one encoded member of a struct.
type field struct {
	name      string
	index     []int
	omitEmpty bool
}

// fields lists the JSON members of struct type t as encoding/json does for
// the cases agglo uses (tags, omitempty, "-", embedded structs).
func fields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for _, f := range fields(ft) {
					f.index = append([]int{i}, f.index...)
					out = append(out, f)
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out = append(out, field{name: name, index: []int{i}, omitEmpty: slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	return out
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func (e *encoder) structValue(v reflect.Value) error {
	e.b = append(e.b, '{')
	first := true
	for _, f := range fields(v.Type()) {
		fv, err := v.FieldByIndexErr(f.index)
		if err != nil { // nil embedded pointer
			continue
		}
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		if !first {
			e.b = append(e.b, ',')
		}
		first = false
		e.b, _ = appendString(e.b, f.name)
		e.b = append(e.b, ':')
		if err := e.value(fv); err != nil {
			return fmt.Errorf("field %s: %w", f.name, err)
		}
	}
	e.b = append(e.b, '}')
	return nil
}

// appendString appends s as a JSON string, escaped as encoding/json does.
func appendString(b []byte, s string) ([]byte, error) {
	enc, err := json.Marshal(s)
	return append(b, enc...), err
}

func (e *encoder) mapValue(v reflect.Value) error {
	if v.IsNil() {
		e.b = append(e.b, "null"...)
		return nil
	}
	type kv struct {
		key string
		val reflect.Value
	}
	var members []kv
	iter := v.MapRange()
	for iter.Next() {
		k, err := mapKey(iter.Key())
		if err != nil {
			return err
		}
		members = append(members, kv{k, iter.Value()})
	}
	slices.SortFunc(members, func(a, b kv) int { return strings.Compare(a.key, b.key) })
	e.b = append(e.b, '{')
	for i, m := range members {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b, _ = appendString(e.b, m.key)
		e.b = append(e.b, ':')
		if err := e.value(m.val); err != nil {
			return fmt.Errorf("member %s: %w", m.key, err)
		}
	}
	e.b = append(e.b, '}')
	return nil
}

func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", fmt.Errorf("nulljson: unsupported map key type %s", k.Type())
}

// Unmarshal decodes data into v as encoding/json does, except that null
// decodes into a float (or a float inside a map, slice or struct) as NaN:
// the inverse of Marshal. A null pointer, map, slice or interface stays
// nil.
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("nulljson: Unmarshal needs a non-nil pointer, not %T", v)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return err
	}
	return assign(rv.Elem(), tree)
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// assign stores the decoded JSON value x in v.
func assign(v reflect.Value, x any) error {
	if v.CanAddr() && reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b)
	}
	if x == nil {
		switch v.Kind() {
		case reflect.Float32, reflect.Float64:
			v.SetFloat(math.NaN())
		default:
			v.SetZero()
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := assign(p.Elem(), x); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Interface:
		if v.NumMethod() != 0 {
			return fmt.Errorf("nulljson: cannot decode into %s", v.Type())
		}
		v.Set(reflect.ValueOf(plain(x)))
		return nil
	case reflect.Float32, reflect.Float64:
		n, ok := x.(json.Number)
		if !ok {
			return fmt.Errorf("nulljson: want a number for %s, got %T", v.Type(), x)
		}
		f, err := n.Float64()
		if err != nil {
			return err
		}
		v.SetFloat(f)
		return nil
	case reflect.Struct:
		obj, ok := x.(map[string]any)
		if !ok {
			return fmt.Errorf("nulljson: want an object for %s, got %T", v.Type(), x)
		}
		for _, f := range fields(v.Type()) {
			val, ok := obj[f.name]
			if !ok {
				for k, vv := range obj {
					if strings.EqualFold(k, f.name) {
						val, ok = vv, true
						break
					}
				}
			}
			if !ok {
				continue
			}
			fv, err := v.FieldByIndexErr(f.index)
			if err != nil {
				continue
			}
			if err := assign(fv, val); err != nil {
				return fmt.Errorf("member %q: %w", f.name, err)
			}
		}
		return nil
	case reflect.Map:
		obj, ok := x.(map[string]any)
		if !ok {
			return fmt.Errorf("nulljson: want an object for %s, got %T", v.Type(), x)
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(v.Type(), len(obj)))
		}
		for k, val := range obj {
			kv := reflect.New(v.Type().Key()).Elem()
			switch kv.Kind() {
			case reflect.String:
				kv.SetString(k)
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				n, err := strconv.ParseInt(k, 10, 64)
				if err != nil {
					return fmt.Errorf("map key %q: %w", k, err)
				}
				kv.SetInt(n)
			default:
				if err := jsonRoundTrip(kv, k); err != nil {
					return fmt.Errorf("map key %q: %w", k, err)
				}
			}
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := assign(ev, val); err != nil {
				return fmt.Errorf("member %q: %w", k, err)
			}
			v.SetMapIndex(kv, ev)
		}
		return nil
	case reflect.Slice, reflect.Array:
		arr, ok := x.([]any)
		if !ok {
			if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
				return jsonRoundTrip(v, x)
			}
			return fmt.Errorf("nulljson: want an array for %s, got %T", v.Type(), x)
		}
		if v.Kind() == reflect.Slice {
			v.Set(reflect.MakeSlice(v.Type(), len(arr), len(arr)))
		}
		for i := 0; i < len(arr) && i < v.Len(); i++ {
			if err := assign(v.Index(i), arr[i]); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
		return nil
	}
	return jsonRoundTrip(v, x)
}

// jsonRoundTrip decodes x into v with encoding/json (strings, integers,
// booleans, TextUnmarshalers).
func jsonRoundTrip(v reflect.Value, x any) error {
	b, err := json.Marshal(x)
	if err != nil {
		return err
	}
	p := reflect.New(v.Type())
	if err := json.Unmarshal(b, p.Interface()); err != nil {
		return err
	}
	v.Set(p.Elem())
	return nil
}

// plain turns json.Number back into float64 inside a generic value, as
// encoding/json decodes into interface{}.
func plain(x any) any {
	switch x := x.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, v := range x {
			x[k] = plain(v)
		}
	case []any:
		for i, v := range x {
			x[i] = plain(v)
		}
	}
	return x
}
