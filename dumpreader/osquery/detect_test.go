package osquery

import "testing"

// TestSniffText checks detection on short texts: osqueryi's output
// modes, and other tables that share their shape.
func TestSniffText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"box", "+-----+-------+--------------+\n| pid | name  | handle_count |\n+-----+-------+--------------+\n| 4   | System | 3000        |\n", true},
		{"prompt and box", "osquery> select pid, name from processes;\n+-----+------+\n| pid | name |\n+-----+------+\n| 4   | x    |\n", true},
		{"json", "[\n  {\"handle_count\":\"2739\",\"name\":\"explorer.exe\",\"pid\":\"6548\"}\n]\n", true},
		{"csv", "pid|name|handle_count\n6548|explorer.exe|2739\n", true},
		{"line", "         pid = 6548\n        name = explorer.exe\nhandle_count = 2739\n", true},

		{"empty", "", false},
		{"box of another table", "+------+-------+\n| name | value |\n+------+-------+\n| a    | 1     |\n", false},
		{"markdown table", "| pid | name | handle_count |\n|-----|------|--------------|\n| 1   | x    | 2            |\n", false},
		{"csv of something else", "name,age,city\nalice,30,Paris\n", false},
		{"json of something else", "[\n  {\"pid\":\"1\",\"user\":\"root\"}\n]\n", false},
		{"assignments", "x = 1\ny = 2\nz = 3\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.text)); got != tc.want {
				t.Errorf("Sniff(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}
