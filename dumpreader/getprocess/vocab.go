package getprocess

import "github.com/leakdiag/leakdiag/dumpreader/internal/proctable"

// vocab names the columns of Get-Process's tables and the properties of
// a process object (System.Diagnostics.Process, and Win32_Process as
// Get-CimInstance gives it) that Select-Object, Format-List and
// Export-Csv print. PowerShell prints them in English in every locale:
// its format views and property names are not translated (the pt-BR
// documentation shows the English table); what a locale changes is the
// numbers (a CPU time of "8 786,38").
var vocab = proctable.Vocab{
	// What facts take.
	"handles": proctable.Handles, "handlecount": proctable.Handles,
	"id": proctable.PID, "processid": proctable.PID,
	// Get-Process's ProcessName and Name are the image without ".exe";
	// Win32_Process's Name has it (proctable.ImageName tells them).
	"processname": proctable.ImageNoExt, "name": proctable.ImageNoExt,
	"si": proctable.Session, "sessionid": proctable.Session,
	"starttime": proctable.Created, "creationdate": proctable.Created,
	"path": proctable.Path, "executablepath": proctable.Path,
	"threadcount": proctable.Threads,
	// The nonpaged pool charged to the process: the default table's
	// NPM(K) in KB (PowerShell 7's NPM(M) in MB), the property (and its
	// NPM alias) in bytes.
	"npm(k)": proctable.NonPagedKB, "npm(m)": proctable.NonPagedMB, "npm": proctable.NonPagedBytes,
	"nonpagedsystemmemorysize64": proctable.NonPagedBytes,
	// Win32_Process's (Get-WmiObject, Get-CimInstance) is in KB, as its
	// PageFileUsage is.
	"quotanonpagedpoolusage": proctable.NonPagedKB,

	// The default tables' other columns.
	"pm(k)": proctable.Other, "ws(k)": proctable.Other,
	"vm(m)": proctable.Other, "cpu(s)": proctable.Other, "pm(m)": proctable.Other,
	"ws(m)": proctable.Other, "vm(k)": proctable.Other,

	// Properties of System.Diagnostics.Process and its PowerShell aliases.
	"pm": proctable.Other, "ws": proctable.Other, "vm": proctable.Other,
	"cpu": proctable.Other, "company": proctable.Other, "description": proctable.Other,
	"product": proctable.Other, "productversion": proctable.Other, "fileversion": proctable.Other,
	"__nounname": proctable.Other, "basepriority": proctable.Other, "exitcode": proctable.Other,
	"hasexited": proctable.Other, "exittime": proctable.Other, "handle": proctable.Other,
	"safehandle": proctable.Other, "machinename": proctable.Other, "mainwindowhandle": proctable.Other,
	"mainwindowtitle": proctable.Other, "mainmodule": proctable.Other, "maxworkingset": proctable.Other,
	"minworkingset": proctable.Other, "modules": proctable.Other,
	"nonpagedsystemmemorysize": proctable.Other,
	"pagedmemorysize":          proctable.Other, "pagedmemorysize64": proctable.Other,
	"pagedsystemmemorysize": proctable.Other, "pagedsystemmemorysize64": proctable.Other,
	"peakpagedmemorysize": proctable.Other, "peakpagedmemorysize64": proctable.Other,
	"peakworkingset": proctable.Other, "peakworkingset64": proctable.Other,
	"peakvirtualmemorysize": proctable.Other, "peakvirtualmemorysize64": proctable.Other,
	"priorityboostenabled": proctable.Other, "priorityclass": proctable.Other,
	"privatememorysize": proctable.Other, "privatememorysize64": proctable.Other,
	"privilegedprocessortime": proctable.Other, "processoraffinity": proctable.Other,
	"responding": proctable.Other, "startinfo": proctable.Other, "synchronizingobject": proctable.Other,
	"threads": proctable.Other, "totalprocessortime": proctable.Other, "userprocessortime": proctable.Other,
	"virtualmemorysize": proctable.Other, "virtualmemorysize64": proctable.Other,
	"enableraisingevents": proctable.Other, "standardinput": proctable.Other,
	"standardoutput": proctable.Other, "standarderror": proctable.Other,
	"workingset": proctable.Other, "workingset64": proctable.Other, "site": proctable.Other,
	"container": proctable.Other, "commandline": proctable.Cmdline, "parent": proctable.Other,
	"username": proctable.Other,

	// Properties of Win32_Process.
	"caption": proctable.Other, "csname": proctable.Host, "parentprocessid": proctable.Other,
	"priority": proctable.Other, "workingsetsize": proctable.Other, "virtualsize": proctable.Other,
	"pagefileusage": proctable.Other, "peakpagefileusage": proctable.Other,
	"kernelmodetime": proctable.Other, "usermodetime": proctable.Other,
	"privatepagecount": proctable.Other, "quotapagedpoolusage": proctable.Other,
	"readoperationcount": proctable.Other, "writeoperationcount": proctable.Other,
	"osname": proctable.Other, "windowsversion": proctable.Other,

	// The machine: Invoke-Command adds PSComputerName to what it returns,
	// Win32_Process has CSName.
	"pscomputername": proctable.Host,
	// A script that gathers processes from several machines names each
	// row's in a ComputerName property of its own objects.
	"computername": proctable.Host,

	// The system properties Get-WmiObject lists first.
	"__genus": proctable.Other, "__class": proctable.Other, "__superclass": proctable.Other,
	"__dynasty": proctable.Other, "__relpath": proctable.Other, "__property_count": proctable.Other,
	"__derivation": proctable.Other, "__server": proctable.Other, "__namespace": proctable.Other,
	"__path": proctable.Other,
}
