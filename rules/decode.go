package rules

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// DecodeFile decodes the YAML file src into v, a pointer to a struct
// whose fields carry yaml tags, the way rule files are decoded: strictly
// (a key no field is tagged with is an error, the nearest known key
// suggested), and with every problem collected, each with its position,
// a Code and the line with a caret under the spot, as an ErrorList. It
// serves the YAML files leakdiag reads beside rule files (rule tests),
// so that all of them report errors alike. what names the file's kind in
// messages ("test file").
func DecodeFile(path string, src []byte, v any, what string) error {
	var errs ErrorList
	f := newRuleFile(path, src)
	if doc, ok := parseYAML(f, &errs); ok && len(doc.Content) > 0 {
		d := &valueDecoder{decoder: &decoder{f: f, errs: &errs}, what: what}
		d.value(doc.Content[0], reflect.ValueOf(v).Elem(), "")
	}
	errs.sort()
	for _, e := range errs {
		e.Snippet = snippet(f.lines, e.Pos.Line, e.Pos.Col)
	}
	return errs.Err()
}

// valueDecoder decodes YAML into Go values by their types.
type valueDecoder struct {
	*decoder
	what string
}

// name is how messages call the value at path: the path
// ("tests[2].processes[0]"), or the file's kind for the whole file.
func (d *valueDecoder) name(path string) string {
	if path == "" {
		return d.what
	}
	return path
}

// join appends a key to a path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// value decodes n into out, the value at path.
func (d *valueDecoder) value(n *yaml.Node, out reflect.Value, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value leaves the zero value
	}
	switch out.Kind() {
	case reflect.Pointer:
		if out.IsNil() {
			out.Set(reflect.New(out.Type().Elem()))
		}
		d.value(n, out.Elem(), path)
	case reflect.Struct:
		d.structValue(n, out, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, "", CodeBadValue, "%s must be a list, not %s", d.name(path), kindName(n))
			return
		}
		s := reflect.MakeSlice(out.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.value(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		out.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, "", CodeBadValue, "%s must be a mapping, not %s", d.name(path), kindName(n))
			return
		}
		m := reflect.MakeMapWithSize(out.Type(), len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			key, elem := reflect.New(out.Type().Key()).Elem(), reflect.New(out.Type().Elem()).Elem()
			d.value(k, key, join(path, k.Value))
			d.value(val, elem, join(path, k.Value))
			m.SetMapIndex(key, elem)
		}
		out.Set(m)
	default:
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, "", CodeBadValue, "%s must be %s, not %s", d.name(path), scalarKind(out.Kind()), kindName(n))
			return
		}
		if err := n.Decode(out.Addr().Interface()); err != nil {
			d.errorf(n, "", CodeBadValue, "%s must be %s, not %s", d.name(path), scalarKind(out.Kind()), kindName(n))
		}
	}
}

// structValue decodes a mapping into a struct by the fields' yaml tags.
func (d *valueDecoder) structValue(n *yaml.Node, out reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "", CodeYAML, "%s must be a mapping, not %s", d.name(path), kindName(n))
		return
	}
	fields := map[string]int{}
	var names []string
	t := out.Type()
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" && t.Field(i).IsExported() {
			fields[name] = i
			names = append(names, name)
		}
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" {
			d.value(v, out, path) // <<: *defaults
			continue
		}
		f, ok := fields[k.Value]
		switch {
		case !ok:
			d.errorf(k, "", CodeUnknownKey, "unknown key %q in %s%s", k.Value, d.name(path), suggest(k.Value, names))
		case seen[k.Value]:
			d.errorf(k, "", CodeYAML, "key %q given twice", k.Value)
		default:
			seen[k.Value] = true
			d.value(v, out.Field(f), join(path, k.Value))
		}
	}
}

// scalarKind says what a scalar of Go kind k is written as.
func scalarKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a value"
}
