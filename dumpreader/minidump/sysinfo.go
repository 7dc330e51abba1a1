package minidump

import (
	"fmt"
	"strings"
)

const (
	systemInfoSize    = 56 // MINIDUMP_SYSTEM_INFO
	systemInfoMinimum = 32 // everything before the CPU_INFORMATION union
)

// SystemInfo is SystemInfoStream's MINIDUMP_SYSTEM_INFO.
type SystemInfo struct {
	// Arch names ProcessorArchitecture: "x86", "amd64", "arm", "arm64",
	// "ia64" or "unknown".
	Arch string
	// ArchCode is ProcessorArchitecture as written.
	ArchCode uint16
	// ProcessorLevel and ProcessorRevision are as written.
	ProcessorLevel, ProcessorRevision uint16
	// ProcessorCount is NumberOfProcessors.
	ProcessorCount uint8
	// ProductType is 1 for a workstation, 2 a domain controller, 3 a
	// server.
	ProductType uint8
	// Major, Minor and Build are the OS version.
	Major, Minor, Build uint32
	// PlatformID is 2 for Windows NT; Breakpad writes 0x8101 for macOS and
	// 0x8201 for Linux.
	PlatformID uint32
	// CSDVersion is the service-pack string (on Breakpad Linux dumps, the
	// kernel's uname); "" when none.
	CSDVersion string
	// SuiteMask is as written.
	SuiteMask uint16
}

// archNames names PROCESSOR_ARCHITECTURE_* values, and Breakpad's
// MD_CPU_ARCHITECTURE_ARM64_OLD (0x8003): the arm64 code Breakpad,
// Crashpad and LLDB wrote before Windows had one, still in macOS and
// Linux dumps.
var archNames = map[uint16]string{0: "x86", 5: "arm", 6: "ia64", 9: "amd64", 12: "arm64", 0x8003: "arm64"}

// archLabels are the architecture names used in OSVersion.
var archLabels = map[string]string{"x86": "x86", "amd64": "x64", "arm": "arm", "arm64": "arm64", "ia64": "ia64"}

// OSVersion describes the OS, such as "Windows 10.0.19041 x64". The
// service pack follows in parentheses ("Windows 6.1.7601 x64 (Service Pack
// 1)"), except that Crashpad writes the update build revision there, which
// becomes a fourth number ("Windows 10.0.22631.4751 x64"). Breakpad and
// Crashpad dumps of other systems say so: "macOS 10.15.7 x64 (19H114)";
// Linux ones carry no version numbers, so the kernel release is taken from
// the uname text in CSDVersion ("Linux 4.9.60-linuxkit-aufs x64").
func (s SystemInfo) OSVersion() string {
	arch := archLabels[s.Arch]
	if arch == "" {
		arch = fmt.Sprintf("arch %#x", s.ArchCode)
	}
	ver := fmt.Sprintf("%d.%d.%d", s.Major, s.Minor, s.Build)
	csd := s.CSDVersion
	switch s.PlatformID {
	case 0, 1, 2: // Win32s, Windows 9x, Windows NT
		if csd != "" && strings.Trim(csd, "0123456789") == "" {
			return fmt.Sprintf("Windows %s.%s %s", ver, csd, arch)
		}
		return withCSD(fmt.Sprintf("Windows %s %s", ver, arch), csd)
	case 3:
		return withCSD(fmt.Sprintf("Windows CE %s %s", ver, arch), csd)
	case 0x8101:
		return withCSD(fmt.Sprintf("macOS %s %s", ver, arch), csd)
	case 0x8201:
		if f := strings.Fields(csd); s.Major == 0 && s.Minor == 0 && s.Build == 0 && len(f) >= 2 && f[0] == "Linux" {
			ver = f[1]
		}
		return fmt.Sprintf("Linux %s %s", ver, arch)
	}
	return withCSD(fmt.Sprintf("platform %#x %s %s", s.PlatformID, ver, arch), csd)
}

func withCSD(s, csd string) string {
	if csd == "" {
		return s
	}
	return s + " (" + csd + ")"
}

// SystemInfo returns SystemInfoStream; false when the dump has none or it
// is too short to read (a problem).
func (d *Dump) SystemInfo() (SystemInfo, bool) {
	d.sysOnce.Do(d.loadSystemInfo)
	return d.sys, d.hasSys
}

func (d *Dump) loadSystemInfo() {
	st, ok := d.Stream(SystemInfoStream)
	if !ok {
		return
	}
	if st.Size < systemInfoMinimum {
		d.addProblem(st.Offset, SeverityError, "stream-too-short",
			"SystemInfoStream is %d bytes, shorter than the %d bytes before its CPU information", st.Size, systemInfoMinimum)
		return
	}
	if st.Size < systemInfoSize {
		d.addProblem(st.Offset, SeverityWarning, "stream-too-short",
			"SystemInfoStream is %d bytes, shorter than %d; its CPU information is cut", st.Size, systemInfoSize)
	}
	b := make([]byte, systemInfoMinimum)
	if err := d.readFull(b, st.Offset); err != nil {
		d.addProblem(st.Offset, SeverityError, "read-error", "SystemInfoStream: %v", err)
		return
	}
	s := SystemInfo{
		ArchCode:          le.Uint16(b[0:]),
		ProcessorLevel:    le.Uint16(b[2:]),
		ProcessorRevision: le.Uint16(b[4:]),
		ProcessorCount:    b[6],
		ProductType:       b[7],
		Major:             le.Uint32(b[8:]),
		Minor:             le.Uint32(b[12:]),
		Build:             le.Uint32(b[16:]),
		PlatformID:        le.Uint32(b[20:]),
		SuiteMask:         le.Uint16(b[28:]),
	}
	s.Arch = archNames[s.ArchCode]
	if s.Arch == "" {
		s.Arch = "unknown"
	}
	p := d.newPass("", nil)
	var refs spanSet
	p.refs = &refs
	csd, err := p.str(int64(le.Uint32(b[24:])), st.Offset+24, false, subject{what: "CSD version of SystemInfoStream"})
	if err != nil {
		d.addProblem(st.Offset, SeverityError, "read-error", "SystemInfoStream: %v", err)
	}
	s.CSDVersion = csd
	d.keepRefs(&refs)
	d.sys, d.hasSys = s, true
}
