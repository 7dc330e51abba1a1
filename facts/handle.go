package facts

// Handle is one handle as a reader found it. Readers pass handles to
// ProcessBuilder.AddHandle, which folds them into the process's aggregates;
// a Snapshot keeps no individual handles.
type Handle struct {
	// Value is the handle value (0x4, 0x80000478 for a kernel handle).
	Value uint64
	// Object is the address of the object the handle refers to, 0 if not
	// shown.
	Object uint64
	// Attributes are the handle's flags as the debugger printed them.
	Attributes HandleAttributes
	// Type is the object type ("Event", "ALPC Port"), empty if not shown.
	Type string
	// Name is the object's name; meaningful only when Naming is Named.
	Name   string
	Naming Naming
	// Pos is where the handle's entry starts.
	Pos Position
}

// HandleAttributes are the flags kernel `!handle` prints after the access
// mask.
type HandleAttributes uint8

// Handle attribute flags.
const (
	AttrProtected HandleAttributes = 1 << iota // (Protected): protect from close
	AttrInherit                                // (Inherit)
	AttrAudit                                  // (Audit): audit on close
)

// Naming says what a capture tells about a handle's object name.
type Naming uint8

// Naming states.
const (
	// NameUnknown: the capture printed no object information for the handle
	// (the one-line `!handle 0 1` form), so it may or may not be named.
	NameUnknown Naming = iota
	// Unnamed: object information was printed and it has no name
	// (user-mode "Name <none>", or no "Name:" line in kernel output).
	Unnamed
	// Named: the object has the name in Handle.Name.
	Named
)
