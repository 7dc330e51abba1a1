package minidump

import "fmt"

// StreamType is a MINIDUMP_STREAM_TYPE, the kind of a directory entry.
// Its String method gives the SDK name ("HandleDataStream"), a vendor name
// ("CrashpadInfoStream") or, for numbers no table names, the number with the
// vendor it belongs to ("Mozilla(0x4D7A0004)").
type StreamType uint32

// The stream types of minidumpapiset.h's MINIDUMP_STREAM_TYPE.
const (
	UnusedStream              StreamType = 0
	ReservedStream0           StreamType = 1
	ReservedStream1           StreamType = 2
	ThreadListStream          StreamType = 3
	ModuleListStream          StreamType = 4
	MemoryListStream          StreamType = 5
	ExceptionStream           StreamType = 6
	SystemInfoStream          StreamType = 7
	ThreadExListStream        StreamType = 8
	Memory64ListStream        StreamType = 9
	CommentStreamA            StreamType = 10
	CommentStreamW            StreamType = 11
	HandleDataStream          StreamType = 12
	FunctionTableStream       StreamType = 13
	UnloadedModuleListStream  StreamType = 14
	MiscInfoStream            StreamType = 15
	MemoryInfoListStream      StreamType = 16
	ThreadInfoListStream      StreamType = 17
	HandleOperationListStream StreamType = 18
	TokenStream               StreamType = 19
	JavaScriptDataStream      StreamType = 20
	SystemMemoryInfoStream    StreamType = 21
	ProcessVmCountersStream   StreamType = 22
	IptTraceStream            StreamType = 23
	ThreadNamesStream         StreamType = 24
	CompressedMemoryStream    StreamType = 25
	// LastReservedStream is the highest number Microsoft reserves; the SDK
	// leaves the numbers above it to applications.
	LastReservedStream StreamType = 0xFFFF
)

// streamNames names the stream types of MINIDUMP.md's tables: the SDK's,
// the Windows CE ones, and the vendor streams seen in real files.
var streamNames = map[StreamType]string{
	UnusedStream:              "UnusedStream",
	ReservedStream0:           "ReservedStream0",
	ReservedStream1:           "ReservedStream1",
	ThreadListStream:          "ThreadListStream",
	ModuleListStream:          "ModuleListStream",
	MemoryListStream:          "MemoryListStream",
	ExceptionStream:           "ExceptionStream",
	SystemInfoStream:          "SystemInfoStream",
	ThreadExListStream:        "ThreadExListStream",
	Memory64ListStream:        "Memory64ListStream",
	CommentStreamA:            "CommentStreamA",
	CommentStreamW:            "CommentStreamW",
	HandleDataStream:          "HandleDataStream",
	FunctionTableStream:       "FunctionTableStream",
	UnloadedModuleListStream:  "UnloadedModuleListStream",
	MiscInfoStream:            "MiscInfoStream",
	MemoryInfoListStream:      "MemoryInfoListStream",
	ThreadInfoListStream:      "ThreadInfoListStream",
	HandleOperationListStream: "HandleOperationListStream",
	TokenStream:               "TokenStream",
	JavaScriptDataStream:      "JavaScriptDataStream",
	SystemMemoryInfoStream:    "SystemMemoryInfoStream",
	ProcessVmCountersStream:   "ProcessVmCountersStream",
	IptTraceStream:            "IptTraceStream",
	ThreadNamesStream:         "ThreadNamesStream",
	CompressedMemoryStream:    "CompressedMemoryStream",
	0x7000:                    "CompressedMemoryStreamSQL",
	0x8000:                    "ceStreamNull",
	0x8001:                    "ceStreamSystemInfo",
	0x8002:                    "ceStreamException",
	0x8003:                    "ceStreamModuleList",
	0x8004:                    "ceStreamProcessList",
	0x8005:                    "ceStreamThreadList",
	0x8006:                    "ceStreamThreadContextList",
	0x8007:                    "ceStreamThreadCallStackList",
	0x8008:                    "ceStreamMemoryVirtualList",
	0x8009:                    "ceStreamMemoryPhysicalList",
	0x800A:                    "ceStreamBucketParameters",
	0x800B:                    "ceStreamProcessModuleMap",
	0x800C:                    "ceStreamDiagnosisList",
	LastReservedStream:        "LastReservedStream",
	0x47670001:                "BreakpadInfoStream",
	0x47670002:                "BreakpadAssertionInfoStream",
	0x47670003:                "BreakpadLinuxCpuInfoStream",
	0x47670004:                "BreakpadLinuxProcStatusStream",
	0x47670005:                "BreakpadLinuxLsbReleaseStream",
	0x47670006:                "BreakpadLinuxCmdLineStream",
	0x47670007:                "BreakpadLinuxEnvironStream",
	0x47670008:                "BreakpadLinuxAuxvStream",
	0x47670009:                "BreakpadLinuxMapsStream",
	0x4767000A:                "BreakpadLinuxDsoDebugStream",
	0x43500001:                "CrashpadInfoStream",
}

// vendorPrefixes names the owners of the high 16 bits of application
// stream numbers seen in real files, for numbers streamNames lacks.
var vendorPrefixes = map[uint32]string{
	0x4767: "Breakpad",
	0x4350: "Crashpad",
	0x4D7A: "Mozilla",
	0x4B6B: "Kasko",
}

// String returns the stream type's name, or its number with the vendor it
// belongs to when no table names it.
func (t StreamType) String() string {
	if n, ok := streamNames[t]; ok {
		return n
	}
	if v, ok := vendorPrefixes[uint32(t)>>16]; ok {
		return fmt.Sprintf("%s(0x%08X)", v, uint32(t))
	}
	if t > LastReservedStream {
		return fmt.Sprintf("UserStream(0x%08X)", uint32(t))
	}
	return fmt.Sprintf("Stream(0x%04X)", uint32(t))
}

// decodedTypes are the stream types this package decodes; the first stream
// of each is "decoded" in Accounting, every other stream "skipped".
var decodedTypes = map[StreamType]bool{
	ThreadListStream:          true,
	ModuleListStream:          true,
	SystemInfoStream:          true,
	HandleDataStream:          true,
	MiscInfoStream:            true,
	HandleOperationListStream: true,
	ThreadNamesStream:         true,
}
